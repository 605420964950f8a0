//! One resource's booking rules on its page: the booking window, pricing
//! rules and blackouts. Each section is its own form, so saving one never
//! loses what was typed into another.
//!
//! The pricing and blackout lists load through resources that the page
//! creates before its `<Suspense>` ([`PricingData`], [`BlackoutData`]), not
//! inside the sections: a resource created in a Suspense's children is only
//! found once the outer data has loaded, and leptos's server renderer
//! sometimes never saw it settle, so the page hung until the request timed
//! out. Creating every resource up front also loads them in parallel.

use crate::api::{
    list_blackouts, list_price_rules, AddBlackout, AddPriceRule, DeleteBlackout, DeletePriceRule,
    UpdateBookingWindow,
};
use crate::components::{action_outcome, ErrorBox, Loading};
use crate::dto::{BlackoutDto, PriceRuleDto, ResourceDto};
use crate::error::AppError;
use domain::ResourceId;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn BookingWindowSection(resource: ResourceDto) -> impl IntoView {
    let save = ServerAction::<UpdateBookingWindow>::new();
    view! {
        <section class="card" id="booking-window">
            <h2>"Booking window"</h2>
            <p class="hint">
                "A buffer keeps free time around every booking (cleaning, changeover). "
                "Lead time stops last-minute bookings; the horizon limits how far ahead customers may book; "
                "the cutoff stops customers cancelling or moving late (staff always can)."
            </p>
            {action_outcome(save.value(), "Booking window saved.")}
            <ActionForm action=save attr:class="form-grid">
                <input type="hidden" name="resource_id" value=resource.id.to_string()/>
                <label>
                    "Buffer (minutes)"
                    <input type="number" name="buffer_minutes" min="0" max="240" value=resource.buffer_minutes/>
                </label>
                <label>
                    "Lead time (minutes)"
                    <input type="number" name="lead_minutes" min="0" max="10080" value=resource.lead_minutes/>
                </label>
                <label>
                    "Horizon (days)"
                    <input type="number" name="horizon_days" min="1" max="730" value=resource.horizon_days/>
                </label>
                <label>
                    "Customers may change until (minutes before start)"
                    <input type="number" name="change_cutoff_minutes" min="0" max="20160" value=resource.change_cutoff_minutes/>
                </label>
                <button type="submit" class="button primary">"Save booking window"</button>
            </ActionForm>
        </section>
    }
}

const DAY_BOXES: [(&str, &str); 7] = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
];

/// The pricing section's actions and the rule list they refresh; made by
/// the page above its `<Suspense>` (see the module's note).
#[derive(Clone, Copy)]
pub struct PricingData {
    add: ServerAction<AddPriceRule>,
    delete: ServerAction<DeletePriceRule>,
    rules: Resource<Result<Vec<PriceRuleDto>, AppError>>,
}

impl PricingData {
    /// `id` is the page's resource id, `None` when the address has none.
    pub fn new(id: impl Fn() -> Option<ResourceId> + Send + Sync + 'static) -> Self {
        let add = ServerAction::<AddPriceRule>::new();
        let delete = ServerAction::<DeletePriceRule>::new();
        let rules = Resource::new(
            move || (id(), add.version().get(), delete.version().get()),
            |(id, _, _)| async move {
                match id {
                    Some(id) => list_price_rules(id).await,
                    None => Err(AppError::NotFound),
                }
            },
        );
        PricingData { add, delete, rules }
    }

    /// Changes with every rule added or removed, so a view derived from
    /// the rules (the price grid) can follow them.
    pub fn changes(&self) -> usize {
        self.add.version().get() + self.delete.version().get()
    }
}

#[component]
pub fn PricingSection(resource_id: ResourceId, data: PricingData) -> impl IntoView {
    let PricingData { add, delete, rules } = data;
    view! {
        <section class="card" id="pricing">
            <h2>"Pricing rules"</h2>
            <p class="hint">
                "The base rate applies unless a rule does; where several apply, the highest priority wins. "
                "A booking across rule boundaries is priced piece by piece."
            </p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">"No rules: every hour costs the base rate."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <table class="table rules">
                                    <thead>
                                        <tr>
                                            <th>"Rule"</th>
                                            <th>"When and price"</th>
                                            <th class="num">"Priority"</th>
                                            <th></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|rule| {
                                                view! {
                                                    <tr>
                                                        <td>{rule.name}</td>
                                                        <td>{rule.description}</td>
                                                        <td class="num">{rule.priority}</td>
                                                        <td>
                                                            <ActionForm action=delete>
                                                                <input type="hidden" name="id" value=rule.id/>
                                                                <button type="submit" class="button small">"Delete"</button>
                                                            </ActionForm>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {action_outcome(delete.value(), "Rule deleted.")}
            <h3>"Add a rule"</h3>
            {action_outcome(add.value(), "Rule added.")}
            <ActionForm action=add attr:class="form-grid">
                <input type="hidden" name="resource_id" value=resource_id.to_string()/>
                <label>"Name" <input type="text" name="name" required maxlength="80" placeholder="Weekday evenings"/></label>
                <label>"Priority" <input type="number" name="priority" value="10"/></label>
                <fieldset class="days">
                    <legend>"Weekdays (none ticked = every day)"</legend>
                    {DAY_BOXES
                        .iter()
                        .map(|(name, label)| {
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=*name value="on"/>
                                    {*label}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label>
                    "Dates (optional, e.g. 2026-12-25, 2027-01-01)"
                    <input type="text" name="dates" placeholder="any date"/>
                </label>
                <label>"From (empty = all day)" <input type="time" name="from"/></label>
                <label>"Until" <input type="time" name="to"/></label>
                <label>
                    "Price"
                    <select name="kind">
                        <option value="multiplier">"Multiply the base rate by"</option>
                        <option value="fixed">"Fixed hourly price (Rp)"</option>
                    </select>
                </label>
                <label>"Value" <input type="text" name="value" required placeholder="1.5 or 200000"/></label>
                <button type="submit" class="button primary">"Add rule"</button>
            </ActionForm>
        </section>
    }
}

/// The blackout section's actions and the list they refresh; made by the
/// page above its `<Suspense>` (see the module's note).
#[derive(Clone, Copy)]
pub struct BlackoutData {
    add: ServerAction<AddBlackout>,
    delete: ServerAction<DeleteBlackout>,
    blackouts: Resource<Result<Vec<BlackoutDto>, AppError>>,
}

impl BlackoutData {
    /// `id` is the page's resource id, `None` when the address has none.
    pub fn new(id: impl Fn() -> Option<ResourceId> + Send + Sync + 'static) -> Self {
        let add = ServerAction::<AddBlackout>::new();
        let delete = ServerAction::<DeleteBlackout>::new();
        let blackouts = Resource::new(
            move || (id(), add.version().get(), delete.version().get()),
            |(id, _, _)| async move {
                match id {
                    Some(id) => list_blackouts(id).await,
                    None => Err(AppError::NotFound),
                }
            },
        );
        BlackoutData {
            add,
            delete,
            blackouts,
        }
    }
}

#[component]
pub fn BlackoutsSection(resource_id: ResourceId, data: BlackoutData) -> impl IntoView {
    let BlackoutData {
        add,
        delete,
        blackouts,
    } = data;
    let added = move || {
        add.value().get().map(|result| match result {
            Ok(created) if created.conflicts.is_empty() => view! {
                <p class="notice" role="status">"Blackout added. No bookings were affected."</p>
            }
            .into_any(),
            Ok(created) => view! {
                <div class="warning" role="status">
                    <p>
                        {format!(
                            "Blackout added. {} booking(s) fall inside it and were kept — contact these customers:",
                            created.conflicts.len(),
                        )}
                    </p>
                    <ul>
                        {created
                            .conflicts
                            .into_iter()
                            .map(|b| {
                                view! {
                                    <li>
                                        <a href=format!("/bookings/{}", b.id)>
                                            {format!(
                                                "{} {} {}–{} {}",
                                                b.resource_name,
                                                b.date,
                                                b.start,
                                                b.end,
                                                b.customer_phone.unwrap_or_default(),
                                            )}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })
    };
    view! {
        <section class="card" id="blackouts">
            <h2>"Blackouts"</h2>
            <p class="hint">"Maintenance, holidays, private events: nobody can book the resource (or the whole outlet) then."</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match blackouts.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">"No blackouts ahead."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <table class="table blackouts">
                                    <thead>
                                        <tr>
                                            <th>"When"</th>
                                            <th>"Closes"</th>
                                            <th>"Reason"</th>
                                            <th></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|b| {
                                                view! {
                                                    <tr>
                                                        <td>{b.when}</td>
                                                        <td>{b.scope}</td>
                                                        <td>{b.reason}</td>
                                                        <td>
                                                            <ActionForm action=delete>
                                                                <input type="hidden" name="id" value=b.id/>
                                                                <button type="submit" class="button small">"Lift"</button>
                                                            </ActionForm>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {action_outcome(delete.value(), "Blackout lifted.")}
            <h3>"Add a blackout"</h3>
            {added}
            <ActionForm action=add attr:class="form-grid">
                <input type="hidden" name="resource_id" value=resource_id.to_string()/>
                <label>"From (local time)" <input type="datetime-local" name="start" required/></label>
                <label>"Until" <input type="datetime-local" name="end" required/></label>
                <label>"Reason" <input type="text" name="reason" required maxlength="200" placeholder="Pitch resurfacing"/></label>
                <label class="check">
                    <input type="checkbox" name="whole_outlet" value="on"/>
                    "Close the whole outlet"
                </label>
                <button type="submit" class="button primary">"Add blackout"</button>
            </ActionForm>
        </section>
    }
}
