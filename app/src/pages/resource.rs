//! One resource, in three tabs with addresses of their own: its settings
//! (`/resources/:id`: what it is, opening hours, archive), its pricing
//! (`/resources/:id/pricing`: the rules and the week's price grid) and its
//! booking rules (`/resources/:id/rules`: the booking window and
//! blackouts).
//!
//! Why tabs that are pages rather than one long page: each page is a WASM
//! chunk of its own, and the single page needed 551 KB gzip in all, above
//! the dashboard's 500 KB budget; a phone also scrolled past five forms to
//! reach the price grid. Each tab still loads the resource itself, for its
//! name and facts.

use crate::api::{get_resource, UpdateHours};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::dto::ResourceDto;
use crate::error::AppError;
use crate::fetch::Loaded;
use crate::i18n::{use_locale, Texts};
use crate::pages::resource_edit::{
    ArchiveSection, PriceGridSection, ResourceActions, SettingsSection,
};
use crate::pages::resource_kinds::kind_label;
use crate::pages::resource_rules::{
    BlackoutData, BlackoutsSection, BookingWindowSection, PricingData, PricingSection,
};
use crate::pages::resources::HoursFields;
use domain::ResourceId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The tabs of a resource, in the order they are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Settings,
    Pricing,
    Rules,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Settings, Tab::Pricing, Tab::Rules];

    fn href(self, id: ResourceId) -> String {
        match self {
            Tab::Settings => format!("/resources/{id}"),
            Tab::Pricing => format!("/resources/{id}/pricing"),
            Tab::Rules => format!("/resources/{id}/rules"),
        }
    }

    fn label(self, t: &Texts) -> &'static str {
        match self {
            Tab::Settings => t.res_tab_settings,
            Tab::Pricing => t.res_tab_pricing,
            Tab::Rules => t.res_tab_rules,
        }
    }
}

/// The resource id in the address, `None` when it is not a number.
fn id_in_address() -> impl Fn() -> Option<ResourceId> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<ResourceId>().ok())
    }
}

/// The resource itself, fetched again whenever `changes` moves.
fn load_resource(
    id: impl Fn() -> Option<ResourceId> + Copy + Send + Sync + 'static,
    changes: impl Fn() -> usize + Send + Sync + 'static,
) -> Loaded<Result<ResourceDto, AppError>> {
    crate::fetch::load(
        move || (id(), changes()),
        |(id, _)| async move {
            match id {
                Some(id) => get_resource(id).await,
                None => Err(AppError::NotFound),
            }
        },
    )
}

/// The name, the facts and, for a resource that takes bookings, the tabs.
#[component]
fn ResourceHeader(resource: ResourceDto, tab: Tab) -> impl IntoView {
    let locale = use_locale();
    let id = resource.id;
    let tabs = (!resource.archived).then(|| {
        let links = Tab::ALL
            .into_iter()
            .map(|each| {
                let current = each == tab;
                view! {
                    <a href=each.href(id) class:active=current aria-current=current.then_some("page")>
                        {move || each.label(locale.t())}
                    </a>
                }
            })
            .collect_view();
        view! {
            <nav class="segmented resource-tabs" aria-label=locale.text(|t| t.res_tabs_label)>
                {links}
            </nav>
        }
    });
    view! {
        <div class="card">
            <h2>{resource.name.clone()}</h2>
            <ResourceFacts resource=resource/>
        </div>
        {tabs}
    }
}

/// The resource at a glance: where it is, what it is, how it is booked.
#[component]
fn ResourceFacts(resource: ResourceDto) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let kind = resource.kind.clone();
    let rate = resource.hourly_rate.to_string();
    view! {
        <dl class="facts">
            <dt>{locale.text(|t| t.res_outlet)}</dt>
            <dd>{resource.outlet_name.clone()}</dd>
            <dt>{locale.text(|t| t.res_kind)}</dt>
            <dd>{move || kind_label(&kind, locale.lang())}</dd>
            <dt>{locale.text(|t| t.res_capacity)}</dt>
            <dd>{resource.capacity}</dd>
            <dt>{locale.text(|t| t.res_booking_length)}</dt>
            <dd>
                {move || (t().res_length_line)(
                    resource.min_minutes,
                    resource.max_minutes,
                    resource.slot_minutes,
                )}
            </dd>
            <dt>{locale.text(|t| t.res_rate)}</dt>
            <dd>{move || (t().res_rate_line)(&rate)}</dd>
        </dl>
    }
}

/// An archived resource's pricing or rules tab: nothing to edit until it
/// is restored, which its settings tab offers.
#[component]
fn ArchivedNotice(id: ResourceId) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card archived">
            <p class="notice" role="status">{locale.text(|t| t.res_archived_banner)}</p>
            <p><a href=Tab::Settings.href(id)>{locale.text(|t| t.res_restore_there)}</a></p>
        </section>
    }
}

/// `/resources/:id`: the settings tab.
#[component]
pub fn ResourcePage() -> impl IntoView {
    let id = id_in_address();
    let update = FormAction::<UpdateHours>::new();
    let actions = ResourceActions::new();
    let data = load_resource(id, move || update.version().get() + actions.changes());
    let locale = use_locale();
    let t = move || locale.t();
    view! {
        <Layout title=|t| t.page_resource>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) if r.archived => {
                            view! {
                                <ResourceHeader resource=r.clone() tab=Tab::Settings/>
                                <ArchiveSection resource=r actions/>
                            }
                                .erase()
                        }
                        Ok(r) => {
                            let values = r.hours.iter().map(|d| d.hours.clone()).collect::<Vec<_>>();
                            view! {
                                <ResourceHeader resource=r.clone() tab=Tab::Settings/>
                                <SettingsSection resource=r.clone() actions/>
                                <section class="card" id="hours">
                                    <h2>{locale.text(|t| t.res_hours_title)}</h2>
                                    <ActionForm action=update>
                                        <input type="hidden" name="resource_id" value=r.id.to_string()/>
                                        <HoursFields values=values/>
                                        <button type="submit" class="button primary">{locale.text(|t| t.res_hours_save)}</button>
                                    </ActionForm>
                                    // Under the form it is about, not at the page's end.
                                    {move || action_outcome(update.value(), t().res_hours_saved)()}
                                </section>
                                <ArchiveSection resource=r actions/>
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Suspense>
            <a href="/resources">{locale.text(|t| t.res_all)}</a>
        </Layout>
    }
}

/// `/resources/:id/pricing`: the pricing rules and the week's price grid
/// under them.
#[component]
pub fn ResourcePricingPage() -> impl IntoView {
    let id = id_in_address();
    let data = load_resource(id, || 0);
    let pricing = PricingData::new(id);
    let grid_changes = Signal::derive(move || pricing.changes());
    let locale = use_locale();
    view! {
        <Layout title=|t| t.page_resource_pricing>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) if r.archived => {
                            let id = r.id;
                            view! {
                                <ResourceHeader resource=r tab=Tab::Pricing/>
                                <ArchivedNotice id/>
                            }
                                .erase()
                        }
                        Ok(r) => {
                            let id = r.id;
                            view! {
                                <ResourceHeader resource=r tab=Tab::Pricing/>
                                <PricingSection resource_id=id data=pricing/>
                                <PriceGridSection resource_id=id changes=grid_changes/>
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Suspense>
            <a href="/resources">{locale.text(|t| t.res_all)}</a>
        </Layout>
    }
}

/// `/resources/:id/rules`: how far ahead and how close to the start it can
/// be booked or changed, and the times it is closed.
#[component]
pub fn ResourceRulesPage() -> impl IntoView {
    let id = id_in_address();
    let data = load_resource(id, || 0);
    let blackouts = BlackoutData::new(id);
    let locale = use_locale();
    view! {
        <Layout title=|t| t.page_resource_rules>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) if r.archived => {
                            let id = r.id;
                            view! {
                                <ResourceHeader resource=r tab=Tab::Rules/>
                                <ArchivedNotice id/>
                            }
                                .erase()
                        }
                        Ok(r) => {
                            let id = r.id;
                            view! {
                                <ResourceHeader resource=r.clone() tab=Tab::Rules/>
                                <BookingWindowSection resource=r/>
                                <BlackoutsSection resource_id=id data=blackouts/>
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Suspense>
            <a href="/resources">{locale.text(|t| t.res_all)}</a>
        </Layout>
    }
}
