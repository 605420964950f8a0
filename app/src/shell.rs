//! The HTML shell and the route table.

use crate::components::Erase;
use crate::pages::{
    AccountPage, AnalyticsPage, ApiKeysPage, BookingPage, BookingsPage, CalendarPage, HomePage,
    InboxPage, InvitePage, KnowledgePage, LoginPage, NotFoundPage, OutletsPage, ResourcePage,
    ResourcePricingPage, ResourceRulesPage, ResourcesPage, SettingsPage, SimulatorPage, TeamPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Hydration reads the language back from here (see `i18n`).
    let lang = crate::i18n::code(crate::i18n::initial());
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Marks the page as interactive, so browser tests (and people) know the
/// WASM has taken over from the server-rendered HTML.
///
/// Each route calls it from its own view: a page split into its own chunk
/// hydrates only once that chunk has arrived, after the frame, and the mark
/// must not come before.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// An eagerly loaded page, marked interactive once hydrated.
fn eager<V: IntoView>(
    page: impl Fn() -> V + Clone + Send + 'static,
) -> impl Fn() -> V + Clone + Send + 'static {
    move || {
        mark_hydrated();
        page()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::i18n::provide_locale();
    crate::live::provide_live();
    view! {
        <Stylesheet id="leptos" href="/pkg/pesan.css"/>
        <Title text="Pesan"/>
        <Router>
            <Routes fallback=eager(|| view! { <NotFoundPage/> })>
                <Route path=path!("/login") view=eager(LoginPage)/>
                <Route path=path!("/") view=eager(HomePage)/>
                <Route path=path!("/inbox") view={Lazy::<InboxRoute>::new()}/>
                <Route path=path!("/analytics") view={Lazy::<AnalyticsRoute>::new()}/>
                <Route path=path!("/knowledge") view={Lazy::<KnowledgeRoute>::new()}/>
                <Route path=path!("/simulator") view={Lazy::<SimulatorRoute>::new()}/>
                <Route path=path!("/resources") view={Lazy::<ResourcesRoute>::new()}/>
                <Route
                    path=path!("/resources/:id")
                    view={Lazy::<ResourceRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/resources/:id/pricing")
                    view={Lazy::<ResourcePricingRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/resources/:id/rules")
                    view={Lazy::<ResourceRulesRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/bookings") view={Lazy::<BookingsRoute>::new()}/>
                <Route
                    path=path!("/bookings/:id")
                    view={Lazy::<BookingRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/calendar")
                    view={Lazy::<CalendarRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()}/>
                <Route path=path!("/settings/api-keys") view={Lazy::<ApiKeysRoute>::new()}/>
                <Route path=path!("/outlets") view={Lazy::<OutletsRoute>::new()}/>
                <Route path=path!("/team") view={Lazy::<TeamRoute>::new()}/>
                <Route path=path!("/account") view={Lazy::<AccountRoute>::new()}/>
                <Route path=path!("/invite/:token") view={Lazy::<InviteRoute>::new()}/>
            </Routes>
        </Router>
    }
}

/// Declares a page whose code is fetched only when someone opens it.
///
/// With `cargo leptos build --split` each page's view becomes its own WASM
/// chunk, so the first download holds only the frame, sign-in and overview
/// (the release budget is 500 KB gzip). The pages load their own data, so
/// the route's data half is empty.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                mark_hydrated();
                view! { <$page/> }.erase()
            }
        }
    };
}

lazy_page!(InboxRoute, InboxPage);
lazy_page!(AnalyticsRoute, AnalyticsPage);
lazy_page!(KnowledgeRoute, KnowledgePage);
lazy_page!(SimulatorRoute, SimulatorPage);
lazy_page!(ResourcesRoute, ResourcesPage);
lazy_page!(ResourceRoute, ResourcePage);
lazy_page!(ResourcePricingRoute, ResourcePricingPage);
lazy_page!(ResourceRulesRoute, ResourceRulesPage);
lazy_page!(BookingsRoute, BookingsPage);
lazy_page!(BookingRoute, BookingPage);
lazy_page!(CalendarRoute, CalendarPage);
lazy_page!(ApiKeysRoute, ApiKeysPage);
lazy_page!(SettingsRoute, SettingsPage);
lazy_page!(OutletsRoute, OutletsPage);
lazy_page!(TeamRoute, TeamPage);
lazy_page!(AccountRoute, AccountPage);
lazy_page!(InviteRoute, InvitePage);
