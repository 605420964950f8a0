//! Resources: the list, the venue's kinds and the create form (one
//! resource's own pages are in `resource`).

use crate::api::{list_archived_resources, list_outlets, list_resources, CreateResource};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::dto::ResourceDto;
use crate::i18n::use_locale;
use crate::pages::resource_kinds::{kind_label, KindActions, KindSelect, KindsSection};
use domain::calendar_words::weekday_long;
use domain::opening_hours::weekday_from_monday;
use leptos::prelude::*;

/// The form field of each weekday, Monday first.
const DAY_FIELDS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Seven text fields, one per weekday, prefilled with `values`.
#[component]
pub(crate) fn HoursFields(values: Vec<String>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <fieldset class="hours">
            <legend>{locale.text(|t| t.res_hours_legend)}</legend>
            {DAY_FIELDS
                .iter()
                .zip(values)
                .enumerate()
                .map(|(index, (name, value))| {
                    let day = weekday_from_monday(index);
                    view! {
                        <label class="inline">
                            <span>{move || weekday_long(locale.lang(), day)}</span>
                            <input type="text" name=*name value=value placeholder=locale.text(|t| t.res_closed)/>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let create = FormAction::<CreateResource>::new();
    let resources = crate::fetch::load(move || create.version().get(), |_| list_resources());
    let archived = crate::fetch::load(|| (), |_| list_archived_resources());
    let outlets = crate::fetch::load(|| (), |_| list_outlets());
    let locale = use_locale();
    let t = move || locale.t();
    let kind_actions = KindActions::new();
    view! {
        <Layout title=|t| t.nav_resources>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match resources.await {
                        Ok(list) => view! { <ResourceTable resources=list/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
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
                                        {locale.text(|t| t.res_archived_list)}
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
            <KindsSection actions=kind_actions resources_changed=Signal::derive(move || create.version().get())/>
            <section class="card">
                <h2>{locale.text(|t| t.res_add_title)}</h2>
                <ActionForm action=create reset_on_save=true attr:class="form-grid">
                    <label>
                        {locale.text(|t| t.res_outlet)}
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
                        {locale.text(|t| t.res_name)}
                        <input type="text" name="name" required maxlength="80" placeholder=locale.text(|t| t.res_name_example)/>
                    </label>
                    <label>{locale.text(|t| t.res_kind)} <KindSelect actions=kind_actions/></label>
                    <label>
                        {locale.text(|t| t.res_capacity)}
                        <input type="number" name="capacity" value="10" min="1" max="1000"/>
                    </label>
                    <label>
                        {locale.text(|t| t.res_slot)}
                        <select name="slot_minutes">
                            {[60, 30, 15]
                                .into_iter()
                                .map(|m| {
                                    view! { <option value=m.to_string()>{move || (t().length_minutes)(m)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        {locale.text(|t| t.res_min)}
                        <input type="number" name="min_minutes" value="60" min="15"/>
                    </label>
                    <label>
                        {locale.text(|t| t.res_max)}
                        <input type="number" name="max_minutes" value="240" min="15"/>
                    </label>
                    <label>
                        {locale.text(|t| t.res_rate)}
                        <input type="text" name="hourly_rate" inputmode="numeric" required maxlength="24" autocomplete="off" value="100000"/>
                    </label>
                    <HoursFields values=vec!["08:00-22:00".to_string(); 7]/>
                    <button type="submit" class="button primary">{locale.text(|t| t.res_create)}</button>
                </ActionForm>
                {move || action_outcome(create.value(), t().res_created)()}
            </section>
        </Layout>
    }
}

#[component]
fn ResourceTable(resources: Vec<ResourceDto>) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    if resources.is_empty() {
        return view! { <p class="empty">{locale.text(|t| t.res_none)}</p> }.erase();
    }
    view! {
        <div class="table-wrap">
            <table class="table resources">
                <thead>
                    <tr>
                        <th>{locale.text(|t| t.res_name)}</th>
                        <th>{locale.text(|t| t.res_outlet)}</th>
                        <th>{locale.text(|t| t.res_kind)}</th>
                        <th class="num">{locale.text(|t| t.res_col_rate)}</th>
                        <th>{locale.text(|t| t.res_col_monday)}</th>
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
                                        <div class="muted small only-narrow">{r.outlet_name.clone()}</div>
                                    </td>
                                    <td>{r.outlet_name}</td>
                                    <td>{move || kind_label(&r.kind, locale.lang())}</td>
                                    <td class="num">{r.hourly_rate.to_string()}</td>
                                    <td>
                                        {move || {
                                            if monday.is_empty() {
                                                t().res_closed.to_string()
                                            } else {
                                                monday.clone()
                                            }
                                        }}
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
