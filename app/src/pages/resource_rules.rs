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
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Loading};
use crate::dto::{BlackoutDto, PriceRuleDto, ResourceDto};
use crate::error::AppError;
use crate::i18n::use_locale;
use domain::calendar_words::weekday;
use domain::opening_hours::weekday_from_monday;
use domain::ResourceId;
use leptos::prelude::*;

#[component]
pub fn BookingWindowSection(resource: ResourceDto) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let save = FormAction::<UpdateBookingWindow>::new();
    view! {
        <section class="card" id="booking-window">
            <h2>{locale.text(|t| t.rr_window_title)}</h2>
            <p class="hint">{locale.text(|t| t.rr_window_hint)}</p>
            {move || action_outcome(save.value(), t().rr_window_saved)()}
            <ActionForm action=save attr:class="form-grid">
                <input type="hidden" name="resource_id" value=resource.id.to_string()/>
                <label>
                    {locale.text(|t| t.rr_buffer)}
                    <input type="number" name="buffer_minutes" min="0" max="240" value=resource.buffer_minutes/>
                </label>
                <label>
                    {locale.text(|t| t.rr_lead)}
                    <input type="number" name="lead_minutes" min="0" max="10080" value=resource.lead_minutes/>
                </label>
                <label>
                    {locale.text(|t| t.rr_horizon)}
                    <input type="number" name="horizon_days" min="1" max="730" value=resource.horizon_days/>
                </label>
                <label>
                    {locale.text(|t| t.rr_cutoff)}
                    <input type="number" name="change_cutoff_minutes" min="0" max="20160" value=resource.change_cutoff_minutes/>
                </label>
                <button type="submit" class="button primary">{locale.text(|t| t.rr_window_save)}</button>
            </ActionForm>
        </section>
    }
}

/// The form field of each weekday's box, Monday first.
const DAY_BOXES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The pricing section's actions and the rule list they refresh; made by
/// the page above its `<Suspense>` (see the module's note).
#[derive(Clone, Copy)]
pub struct PricingData {
    add: FormAction<AddPriceRule>,
    delete: FormAction<DeletePriceRule>,
    rules: crate::fetch::Loaded<Result<Vec<PriceRuleDto>, AppError>>,
}

impl PricingData {
    /// `id` is the page's resource id, `None` when the address has none.
    pub fn new(id: impl Fn() -> Option<ResourceId> + Send + Sync + 'static) -> Self {
        let add = FormAction::<AddPriceRule>::new();
        let delete = FormAction::<DeletePriceRule>::new();
        let rules = crate::fetch::load(
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
    let locale = use_locale();
    let t = move || locale.t();
    let PricingData { add, delete, rules } = data;
    view! {
        <section class="card" id="pricing">
            <h2>{locale.text(|t| t.rr_pricing_title)}</h2>
            <p class="hint">{locale.text(|t| t.rr_pricing_hint)}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{locale.text(|t| t.rr_no_rules)}</p> }.erase()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-wrap">
                                    <table class="table rules">
                                        <thead>
                                            <tr>
                                                <th>{locale.text(|t| t.rr_col_rule)}</th>
                                                <th>{locale.text(|t| t.rr_col_when_price)}</th>
                                                <th class="num">{locale.text(|t| t.rr_priority)}</th>
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
                                                                    <button type="submit" class="button small">{locale.text(|t| t.kb_delete)}</button>
                                                                </ActionForm>
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
            {move || action_outcome(delete.value(), t().rr_rule_deleted)()}
            <h3>{locale.text(|t| t.rr_add_rule_title)}</h3>
            <ActionForm action=add reset_on_save=true attr:class="form-grid">
                <input type="hidden" name="resource_id" value=resource_id.to_string()/>
                <label>{locale.text(|t| t.res_name)} <input type="text" name="name" required maxlength="80" placeholder=locale.text(|t| t.rr_rule_name_example)/></label>
                <label>{locale.text(|t| t.rr_priority)} <input type="number" name="priority" value="10"/></label>
                <fieldset class="days">
                    <legend>{locale.text(|t| t.rr_weekdays)}</legend>
                    {DAY_BOXES
                        .iter()
                        .enumerate()
                        .map(|(index, name)| {
                            let day = weekday_from_monday(index);
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=*name value="on"/>
                                    {move || weekday(locale.lang(), day)}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label>
                    {locale.text(|t| t.rr_dates)}
                    <input type="text" name="dates" placeholder=locale.text(|t| t.rr_dates_placeholder)/>
                </label>
                <label>{locale.text(|t| t.rr_from)} <input type="time" name="from"/></label>
                <label>{locale.text(|t| t.rr_until)} <input type="time" name="to"/></label>
                <label>
                    {locale.text(|t| t.col_price)}
                    <select name="kind">
                        <option value="multiplier">{locale.text(|t| t.rr_multiplier)}</option>
                        <option value="fixed">{locale.text(|t| t.rr_fixed)}</option>
                    </select>
                </label>
                <label>{locale.text(|t| t.rr_value)} <input type="text" name="value" required placeholder=locale.text(|t| t.rr_value_placeholder)/></label>
                <button type="submit" class="button primary">{locale.text(|t| t.rr_add_rule)}</button>
            </ActionForm>
            {move || action_outcome(add.value(), t().rr_rule_added)()}
        </section>
    }
}

/// The blackout section's actions and the list they refresh; made by the
/// page above its `<Suspense>` (see the module's note).
#[derive(Clone, Copy)]
pub struct BlackoutData {
    add: FormAction<AddBlackout>,
    delete: FormAction<DeleteBlackout>,
    blackouts: crate::fetch::Loaded<Result<Vec<BlackoutDto>, AppError>>,
}

impl BlackoutData {
    /// `id` is the page's resource id, `None` when the address has none.
    pub fn new(id: impl Fn() -> Option<ResourceId> + Send + Sync + 'static) -> Self {
        let add = FormAction::<AddBlackout>::new();
        let delete = FormAction::<DeleteBlackout>::new();
        let blackouts = crate::fetch::load(
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
    let locale = use_locale();
    let t = move || locale.t();
    let added = move || {
        add.value().get().map(|result| match result {
            Ok(created) if created.conflicts.is_empty() => view! {
                <p class="notice" role="status">{locale.text(|t| t.rr_blackout_added)}</p>
            }
            .erase(),
            Ok(created) => view! {
                <div class="warning" role="status">
                    <p>
                        {
                            let count = created.conflicts.len();
                            move || (t().rr_blackout_conflicts)(count)
                        }
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
            .erase(),
            Err(e) => view! { <ErrorBox error=e/> }.erase(),
        })
    };
    view! {
        <section class="card" id="blackouts">
            <h2>{locale.text(|t| t.rr_blackouts_title)}</h2>
            <p class="hint">{locale.text(|t| t.rr_blackouts_hint)}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match blackouts.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{locale.text(|t| t.rr_no_blackouts)}</p> }.erase()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-wrap">
                                    <table class="table blackouts">
                                        <thead>
                                            <tr>
                                                <th>{locale.text(|t| t.rr_col_when)}</th>
                                                <th>{locale.text(|t| t.rr_col_closes)}</th>
                                                <th>{locale.text(|t| t.act_reason)}</th>
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
                                                                    <button type="submit" class="button small">{locale.text(|t| t.rr_lift)}</button>
                                                                </ActionForm>
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
            {move || action_outcome(delete.value(), t().rr_blackout_lifted)()}
            <h3>{locale.text(|t| t.rr_add_blackout_title)}</h3>
            {added}
            <ActionForm action=add attr:class="form-grid">
                <input type="hidden" name="resource_id" value=resource_id.to_string()/>
                <label>{locale.text(|t| t.rr_blackout_from)} <input type="datetime-local" name="start" required/></label>
                <label>{locale.text(|t| t.rr_until)} <input type="datetime-local" name="end" required/></label>
                <label>{locale.text(|t| t.act_reason)} <input type="text" name="reason" required maxlength="200" placeholder=locale.text(|t| t.rr_blackout_reason_example)/></label>
                <label class="check">
                    <input type="checkbox" name="whole_outlet" value="on"/>
                    {locale.text(|t| t.rr_whole_outlet)}
                </label>
                <button type="submit" class="button primary">{locale.text(|t| t.rr_add_blackout)}</button>
            </ActionForm>
        </section>
    }
}
