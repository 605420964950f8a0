//! A resource's settings form, its archive and restore, and the week's
//! hourly price grid: the parts of the resource page that change the
//! resource itself or show what its rules do.

use crate::api::{price_grid, ArchiveResource, RestoreResource, UpdateResource};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Loading};
use crate::dto::{PriceGridDto, ResourceDto};
use crate::i18n::use_locale;
use crate::pages::resource_kinds::KindSelect;
use domain::calendar_words::{day_label, weekday_narrow};
use domain::opening_hours::weekday_from_monday;
use domain::ResourceId;
use leptos::prelude::*;

/// The page's actions on the resource, made above its `<Suspense>` so a
/// refetch after saving does not drop the outcome (see `resource_rules`).
#[derive(Clone, Copy)]
pub struct ResourceActions {
    pub edit: FormAction<UpdateResource>,
    pub archive: ServerAction<ArchiveResource>,
    pub restore: ServerAction<RestoreResource>,
}

impl ResourceActions {
    pub fn new() -> Self {
        ResourceActions {
            edit: FormAction::new(),
            archive: ServerAction::new(),
            restore: ServerAction::new(),
        }
    }

    /// Changes with every saved edit, archive or restore.
    pub fn changes(&self) -> usize {
        self.edit.version().get() + self.archive.version().get() + self.restore.version().get()
    }
}

impl Default for ResourceActions {
    fn default() -> Self {
        Self::new()
    }
}

/// Name, type, capacity, lengths and base rate, prefilled.
#[component]
pub fn SettingsSection(resource: ResourceDto, actions: ResourceActions) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let edit = actions.edit;
    let slot = resource.slot_minutes;
    let kind = resource.kind.clone();
    view! {
        <section class="card" id="settings">
            <h2>{locale.text(|t| t.res_settings)}</h2>
            {move || action_outcome(edit.value(), t().res_saved)()}
            <ActionForm action=edit attr:class="form-grid">
                <input type="hidden" name="resource_id" value=resource.id.to_string()/>
                <label>
                    {locale.text(|t| t.res_name)}
                    <input type="text" name="name" required maxlength="80" value=resource.name.clone()/>
                </label>
                <label>
                    {locale.text(|t| t.res_kind)}
                    <KindSelect selected=kind/>
                </label>
                <label>
                    {locale.text(|t| t.res_capacity)}
                    <input type="number" name="capacity" min="1" max="1000" value=resource.capacity/>
                </label>
                <label>
                    {locale.text(|t| t.res_slot)}
                    <select name="slot_minutes">
                        {[60, 30, 15]
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <option value=m.to_string() selected=m == slot>
                                        {move || (t().length_minutes)(m)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {locale.text(|t| t.res_min)}
                    <input type="number" name="min_minutes" min="15" max="1440" step="15" value=resource.min_minutes/>
                </label>
                <label>
                    {locale.text(|t| t.res_max)}
                    <input type="number" name="max_minutes" min="15" max="1440" step="15" value=resource.max_minutes/>
                </label>
                <label>
                    {locale.text(|t| t.res_rate)}
                    <input type="text" name="hourly_rate" inputmode="numeric" required maxlength="24" autocomplete="off" value=resource.hourly_rate.minor/>
                </label>
                <button type="submit" class="button primary">{locale.text(|t| t.res_save)}</button>
            </ActionForm>
        </section>
    }
}

/// Archive (after a confirmation), or, for an archived resource, restore.
#[component]
pub fn ArchiveSection(resource: ResourceDto, actions: ResourceActions) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let ResourceActions {
        archive, restore, ..
    } = actions;
    let id = resource.id;
    if resource.archived {
        return view! {
            <section class="card archived" id="archive">
                <p class="notice" role="status">{locale.text(|t| t.res_archived_banner)}</p>
                <p>
                    <a href=format!("/bookings?resource={id}&from=2000-01-01")>
                        {locale.text(|t| t.res_history)}
                    </a>
                </p>
                {move || {
                    restore
                        .value()
                        .get()
                        .and_then(|outcome| outcome.err())
                        .map(|e| view! { <ErrorBox error=e/> })
                }}
                <button
                    type="button"
                    class="button primary"
                    on:click=move |_| {
                        restore.dispatch(RestoreResource { resource_id: id });
                    }
                >
                    {locale.text(|t| t.res_restore)}
                </button>
            </section>
        }
        .erase();
    }
    view! {
        <section class="card" id="archive">
            // After a restore the page redraws with this section: the
            // confirmation lands here.
            {move || action_outcome(restore.value(), t().res_restored)()}
            <h2>{locale.text(|t| t.res_archive_title)}</h2>
            <p class="hint">{locale.text(|t| t.res_archive_hint)}</p>
            {move || {
                archive
                    .value()
                    .get()
                    .and_then(|outcome| outcome.err())
                    .map(|e| view! { <ErrorBox error=e/> })
            }}
            <button
                type="button"
                class="button danger"
                on:click=move |_| {
                    let sure = window()
                        .confirm_with_message(t().res_archive_confirm)
                        .unwrap_or(false);
                    if sure {
                        archive.dispatch(ArchiveResource { resource_id: id });
                    }
                }
            >
                {locale.text(|t| t.res_archive)}
            </button>
        </section>
    }
    .erase()
}

/// One week of hourly prices, a week at a time; follows the rules added or
/// removed beside it on the pricing tab.
#[component]
pub fn PriceGridSection(
    resource_id: ResourceId,
    /// Read inside the grid's source, so a change refetches it.
    changes: Signal<usize>,
) -> impl IntoView {
    let locale = use_locale();
    let week = RwSignal::new(None::<String>);
    let grid = crate::fetch::load(
        move || (resource_id, week.get(), changes.get()),
        |(id, week, _)| price_grid(id, week),
    );
    view! {
        <section class="card" id="price-grid">
            <h2>{locale.text(|t| t.grid_title)}</h2>
            <p class="hint">{locale.text(|t| t.grid_hint)}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match grid.await {
                        Ok(grid) => view! { <GridTable grid week/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn GridTable(grid: PriceGridDto, week: RwSignal<Option<String>>) -> impl IntoView {
    let locale = use_locale();
    let PriceGridDto {
        previous,
        next,
        days,
        rows,
        ..
    } = grid;
    let nav = view! {
        <div class="grid-nav">
            <button type="button" class="button" on:click=move |_| week.set(Some(previous.clone()))>
                {locale.text(|t| t.grid_previous)}
            </button>
            <button type="button" class="button" on:click=move |_| week.set(Some(next.clone()))>
                {locale.text(|t| t.grid_next)}
            </button>
        </div>
    };
    if rows.is_empty() {
        return view! {
            {nav}
            <p class="empty">{locale.text(|t| t.grid_all_closed)}</p>
        }
        .erase();
    }
    let heads = days
        .into_iter()
        .map(|(iso, weekday)| {
            let date = chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d").ok();
            let day = weekday_from_monday(usize::from(weekday));
            view! {
                <th scope="col" data-date=iso>
                    <span class="narrow">{move || weekday_narrow(locale.lang(), day)}</span>
                    <span class="wide">
                        {move || date.map(|d| day_label(locale.lang(), d)).unwrap_or_default()}
                    </span>
                </th>
            }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .cells
                .into_iter()
                .map(|cell| match cell {
                    None => view! {
                        <td class="closed" title=locale.text(|t| t.grid_closed)></td>
                    }
                    .erase(),
                    Some((price, rule)) => {
                        let class = if rule.is_some() { "rule" } else { "base" };
                        view! {
                            <td class=class title=rule.unwrap_or_default()>{price.to_string()}</td>
                        }
                        .erase()
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{row.hour}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        {nav}
        <div class="table-wrap">
            <table class="table price-grid">
                <thead>
                    <tr>
                        <th scope="col">{locale.text(|t| t.grid_time)}</th>
                        {heads}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .erase()
}
