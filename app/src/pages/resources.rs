//! Resources: the list, the create form, and one resource's hours.

use crate::api::{
    get_resource, list_archived_resources, list_outlets, list_resources, CreateResource,
    UpdateHours,
};
use crate::components::{action_outcome, ErrorBox, Layout, Loading};
use crate::dto::ResourceDto;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::pages::resource_edit::{
    ArchiveSection, PriceGridSection, ResourceActions, SettingsSection,
};
use crate::pages::resource_rules::{
    BlackoutData, BlackoutsSection, BookingWindowSection, PricingData, PricingSection,
};
use domain::{ResourceId, ResourceKind};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const DAY_FIELDS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// Seven text fields, one per weekday, prefilled with `values`.
#[component]
fn HoursFields(values: Vec<String>) -> impl IntoView {
    view! {
        <fieldset class="hours">
            <legend>"Opening hours (local time; e.g. 08:00-23:00, or 08:00-12:00, 13:00-22:00; empty = closed)"</legend>
            {DAY_FIELDS
                .iter()
                .zip(values)
                .map(|((name, label), value)| {
                    view! {
                        <label class="inline">
                            <span>{*label}</span>
                            <input type="text" name=*name value=value placeholder="closed"/>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let create = ServerAction::<CreateResource>::new();
    let resources = Resource::new(move || create.version().get(), |_| list_resources());
    let archived = Resource::new(|| (), |_| list_archived_resources());
    let outlets = Resource::new(|| (), |_| list_outlets());
    let locale = use_locale();
    let message = action_outcome(create.value(), "Resource created.");
    view! {
        <Layout title=|t| t.nav_resources>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match resources.await {
                        Ok(list) => view! { <ResourceTable resources=list/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = archived.await.unwrap_or_default();
                    (!list.is_empty())
                        .then(|| {
                            view! {
                                <details class="card archived-list">
                                    <summary>
                                        {move || locale.t().res_archived_list}
                                        {format!(" ({})", list.len())}
                                    </summary>
                                    <ul>
                                        {list
                                            .into_iter()
                                            .map(|r| {
                                                view! {
                                                    <li>
                                                        <a href=format!("/resources/{}", r.id)>{r.name}</a>
                                                        " · "
                                                        {r.outlet_name}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </details>
                            }
                        })
                })}
            </Transition>
            <section class="card">
                <h2>"Add a resource"</h2>
                {message}
                <ActionForm action=create attr:class="form-grid">
                    <label>
                        "Outlet"
                        <select name="outlet_id" required>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    outlets
                                        .await
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|o| view! { <option value=o.id.to_string()>{o.name}</option> })
                                        .collect_view()
                                })}
                            </Suspense>
                        </select>
                    </label>
                    <label>
                        "Name" <input type="text" name="name" required maxlength="80" placeholder="Futsal Court 4"/>
                    </label>
                    <label>
                        "Type"
                        <select name="kind">
                            {ResourceKind::ALL
                                .iter()
                                .map(|k| view! { <option value=k.as_str()>{k.label(false)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>"Capacity" <input type="number" name="capacity" value="10" min="1" max="1000"/></label>
                    <label>
                        "Slot length"
                        <select name="slot_minutes">
                            <option value="60">"60 minutes"</option>
                            <option value="30">"30 minutes"</option>
                            <option value="15">"15 minutes"</option>
                        </select>
                    </label>
                    <label>"Minimum minutes" <input type="number" name="min_minutes" value="60" min="15"/></label>
                    <label>"Maximum minutes" <input type="number" name="max_minutes" value="240" min="15"/></label>
                    <label>"Hourly rate (Rp)" <input type="number" name="hourly_rate" value="100000" min="0"/></label>
                    <HoursFields values=vec!["08:00-22:00".to_string(); 7]/>
                    <button type="submit" class="button primary">"Create resource"</button>
                </ActionForm>
            </section>
        </Layout>
    }
}

#[component]
fn ResourceTable(resources: Vec<ResourceDto>) -> impl IntoView {
    if resources.is_empty() {
        return view! { <p class="empty">"No resources yet: add the first one below."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table resources">
                <thead>
                    <tr>
                        <th>"Name"</th>
                        <th>"Outlet"</th>
                        <th>"Type"</th>
                        <th class="num">"Rate / hour"</th>
                        <th>"Monday hours"</th>
                    </tr>
                </thead>
                <tbody>
                    {resources
                        .into_iter()
                        .map(|r| {
                            let monday = r.hours.first().map(|d| d.hours.clone()).unwrap_or_default();
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/resources/{}", r.id)>{r.name}</a>
                                    </td>
                                    <td>{r.outlet_name}</td>
                                    <td>{r.kind.label(false)}</td>
                                    <td class="num">{r.hourly_rate.to_string()}</td>
                                    <td>{if monday.is_empty() { "closed".to_string() } else { monday }}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn ResourcePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<ResourceId>().ok())
    };
    let update = ServerAction::<UpdateHours>::new();
    let actions = ResourceActions::new();
    let data = Resource::new(
        move || (id(), update.version().get(), actions.changes()),
        |(id, _, _)| async move {
            match id {
                Some(id) => get_resource(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let pricing = PricingData::new(id);
    let blackouts = BlackoutData::new(id);
    let grid_changes =
        Signal::derive(move || pricing.changes() + update.version().get() + actions.changes());
    let message = action_outcome(update.value(), "Opening hours saved.");
    view! {
        <Layout title=|t| t.page_resource>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) if r.archived => {
                            view! {
                                <div class="card">
                                    <h2>{r.name.clone()}</h2>
                                    <ResourceFacts resource=r.clone()/>
                                </div>
                                <ArchiveSection resource=r actions/>
                            }
                                .into_any()
                        }
                        Ok(r) => {
                            let values = r.hours.iter().map(|d| d.hours.clone()).collect::<Vec<_>>();
                            view! {
                                <div class="card">
                                    <h2>{r.name.clone()}</h2>
                                    <ResourceFacts resource=r.clone()/>
                                </div>
                                <SettingsSection resource=r.clone() actions/>
                                <PricingSection resource_id=r.id data=pricing/>
                                <PriceGridSection resource_id=r.id changes=grid_changes/>
                                <BookingWindowSection resource=r.clone()/>
                                <BlackoutsSection resource_id=r.id data=blackouts/>
                                <section class="card">
                                    <h2>"Opening hours"</h2>
                                    <ActionForm action=update>
                                        <input type="hidden" name="resource_id" value=r.id.to_string()/>
                                        <HoursFields values=values/>
                                        <button type="submit" class="button primary">"Save hours"</button>
                                    </ActionForm>
                                </section>
                                <ArchiveSection resource=r actions/>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Suspense>
            {message}
            <a href="/resources">"← All resources"</a>
        </Layout>
    }
}

/// The resource at a glance: where it is, what it is, how it is booked.
#[component]
fn ResourceFacts(resource: ResourceDto) -> impl IntoView {
    view! {
    <dl class="facts">
        <dt>"Outlet"</dt>
        <dd>{resource.outlet_name.clone()}</dd>
        <dt>"Type"</dt>
        <dd>{resource.kind.label(false)}</dd>
        <dt>"Capacity"</dt>
        <dd>{resource.capacity}</dd>
        <dt>"Booking length"</dt>
        <dd>
            {format!(
                "{}–{} minutes, in {}-minute slots",
                resource.min_minutes,
                resource.max_minutes,
                resource.slot_minutes,
            )}
        </dd>
        <dt>"Rate"</dt>
        <dd>{format!("{} per hour (base)", resource.hourly_rate)}</dd>
    </dl>    }
}
