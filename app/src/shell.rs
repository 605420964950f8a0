//! The HTML shell and the route table.

use crate::pages::{
    ApiKeysPage, BookingPage, BookingsPage, CalendarPage, HomePage, InboxPage, LoginPage,
    NotFoundPage, ResourcePage, ResourcesPage, SimulatorPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

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
fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::i18n::provide_locale();
    crate::live::provide_live();
    Effect::new(move |_| mark_hydrated());
    view! {
        <Stylesheet id="leptos" href="/pkg/pesan.css"/>
        <Title text="Pesan"/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/inbox") view=InboxPage/>
                <Route path=path!("/simulator") view=SimulatorPage/>
                <Route path=path!("/resources") view=ResourcesPage/>
                <Route path=path!("/resources/:id") view=ResourcePage ssr=SsrMode::Async/>
                <Route path=path!("/bookings") view=BookingsPage/>
                <Route path=path!("/bookings/:id") view=BookingPage ssr=SsrMode::Async/>
                <Route path=path!("/calendar") view=CalendarPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/api-keys") view=ApiKeysPage/>
            </Routes>
        </Router>
    }
}
