//! The frame around every signed-in page: navigation (with the inbox's
//! badge), tenant, language, sign-out, and the live connection's state.

use crate::api::{me, set_language};
use crate::components::Erase;
use crate::error::AppError;
use crate::i18n::{self, use_locale, Lang, Texts};
use crate::live::use_live;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn Layout<C: IntoView + 'static>(
    /// The page's title, from the catalogue (so it follows the language).
    title: fn(&'static Texts) -> &'static str,
    /// Typed, not `Children`: boxing the page into an `AnyView` would bring
    /// back its async hydration code (see `sync_view`).
    children: TypedChildren<C>,
) -> impl IntoView {
    let children = children.into_inner();
    let locale = use_locale();
    let live = use_live();
    let staff = crate::fetch::load(|| (), |_| me());
    // Live updates once the user may see the dashboard: not while a
    // password someone else chose waits to be replaced (the stream is
    // refused then, and "reconnecting" would be all the page said).
    Effect::new(move |_| {
        if let Some(Ok(Some(me))) = staff.get() {
            if !me.must_change_password {
                live.start(i18n::texts(locale.lang()).needs_person_notice);
            }
        }
    });
    view! {
        // The tab says which page it is (a front desk keeps several open).
        <Title text=move || format!("{} · Pesan", title(locale.t()))/>
        <div class="app">
            <aside class="sidebar">
                <a class="brand" href="/">
                    <span class="brand-mark">"P"</span>
                    <span>"Pesan"</span>
                </a>
                <Nav staff/>
            </aside>
            <div class="main">
                <TopBar title staff/>
                {move || {
                    (!live.connected.get())
                        .then(|| view! { <p class="offline" role="status">{locale.t().live_offline}</p> })
                }}
                <main class="content">{children()}</main>
            </div>
        </div>
    }
}

#[component]
fn Nav(staff: crate::fetch::Loaded<Result<Option<crate::dto::StaffDto>, AppError>>) -> AnyView {
    let locale = use_locale();
    let live = use_live();
    let waiting = move || live.waiting.get();
    // Settings only for owners and admins, read under `Suspense` so the
    // server's HTML and the hydrated page agree. (A user who must first
    // replace their password sees the links, and every page they lead to
    // says so, with a link to the account page.)
    view! {
        <nav class="nav">
            <A href="/" exact=true>{locale.text(|t| t.nav_overview)}</A>
            <A href="/inbox">
                {locale.text(|t| t.nav_inbox)}
                {move || {
                    (waiting() > 0)
                        .then(|| {
                            view! {
                                <span class="nav-badge" data-testid="waiting-badge" title=locale.text(|t| t.needs_person_notice)>
                                    {waiting}
                                </span>
                            }
                        })
                }}
            </A>
            <A href="/calendar">{locale.text(|t| t.nav_calendar)}</A>
            <A href="/bookings">{locale.text(|t| t.nav_bookings)}</A>
            <A href="/analytics">{locale.text(|t| t.nav_analytics)}</A>
            <A href="/resources">{locale.text(|t| t.nav_resources)}</A>
            <A href="/knowledge">{locale.text(|t| t.nav_knowledge)}</A>
            <A href="/outlets">{locale.text(|t| t.nav_outlets)}</A>
            <A href="/simulator">{locale.text(|t| t.nav_simulator)}</A>
            <A href="/team">{locale.text(|t| t.nav_team)}</A>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let manager = staff
                        .await
                        .ok()
                        .flatten()
                        .is_some_and(|s| matches!(s.role, domain::Role::Owner | domain::Role::Admin));
                    manager.then(|| view! { <A href="/settings">{locale.text(|t| t.nav_settings)}</A> })
                })}
            </Suspense>
        </nav>
    }
    .erase()
}

#[component]
fn TopBar(
    title: fn(&'static Texts) -> &'static str,
    staff: crate::fetch::Loaded<Result<Option<crate::dto::StaffDto>, AppError>>,
) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let applied = use_context::<i18n::LanguageApplied>();
    let switch = Action::new(move |lang: &Lang| {
        let lang = *lang;
        async move {
            let saved = set_language(i18n::code(lang).to_string()).await;
            // The server now words its data in the new language: fetch it again.
            if let (Ok(()), Some(applied)) = (&saved, applied) {
                applied.0.update(|n| *n += 1);
            }
            saved
        }
    });
    let choose = move |ev: leptos::ev::Event| {
        let lang = i18n::parse(&event_target_value(&ev));
        locale.0.set(lang);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", i18n::code(lang));
        }
        switch.dispatch(lang);
    };
    view! {
        <header class="topbar">
            <h1>{move || title(t())}</h1>
            <div class="who">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        staff
                            .await
                            .ok()
                            .flatten()
                            .map(|s| {
                                view! {
                                    <span class="tenant">{s.tenant_name}</span>
                                    <a class="user" href="/account" title=locale.text(|t| t.page_account)>
                                        <span class="who-name">{s.name}" · "{move || t().role(s.role)}</span>
                                        <span class="who-short">{locale.text(|t| t.page_account)}</span>
                                    </a>
                                }
                            })
                    })}
                </Suspense>
                <label class="lang">
                    <span class="sr-only">{locale.text(|t| t.language)}</span>
                    <select name="lang" data-testid="language" on:change=choose>
                        <option value="en" selected=move || locale.lang() == Lang::En>"English"</option>
                        <option value="id" selected=move || locale.lang() == Lang::Id>"Bahasa Indonesia"</option>
                    </select>
                </label>
                <form method="post" action="/auth/logout">
                    <button type="submit" class="button ghost">{locale.text(|t| t.sign_out)}</button>
                </form>
            </div>
        </header>
    }
    .erase()
}

#[component]
pub fn Loading() -> impl IntoView {
    let locale = use_locale();
    view! { <p class="muted">{locale.text(|t| t.loading)}</p> }
}

/// The values a refusal names in curly quotes (“padle”, “Padel”), if
/// any: the part of the server's words a translation cannot know.
fn quoted(message: &str) -> Option<String> {
    // Only the quoted values travel: English between them ("(archived)",
    // "is already a word for") stays out of the translated sentence.
    let values: Vec<&str> = message
        .split('“')
        .skip(1)
        .filter_map(|part| part.split_once('”').map(|(value, _)| value))
        .collect();
    (!values.is_empty()).then(|| {
        values
            .iter()
            .map(|value| format!("“{value}”"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// Shows a server function's error; a lost session links to the login page.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let signed_out = error == AppError::Unauthorized;
    let locale = use_locale();
    let password_first = error.code() == Some("password_change_required");
    // A refusal the interface's language has its own words for is shown in
    // them, keeping the value the server quoted (“jam”); anything else as
    // the server said it.
    let text = move || {
        // The generic errors in the interface's language.
        let t = locale.t();
        match &error {
            AppError::NotFound => return t.err_not_found.to_string(),
            AppError::Forbidden => return t.err_forbidden.to_string(),
            AppError::Unauthorized => return t.err_unauthorized.to_string(),
            AppError::Internal => return t.err_internal.to_string(),
            _ => {}
        }
        let said = error.to_string();
        match error.code().and_then(|code| (locale.t().refusal)(code)) {
            Some(own) => match quoted(&said) {
                Some(value) => format!("{}: {value}.", own.trim_end_matches('.')),
                None => own.to_string(),
            },
            None => said,
        }
    };
    view! {
        <div class="error" role="alert">
            <p>{text}</p>
            {signed_out.then(|| view! { <a href="/login">{locale.text(|t| t.sign_in_again)}</a> })}
            {password_first
                .then(|| view! { <a href="/account" rel="external">{locale.text(|t| t.page_account)}</a> })}
        </div>
    }
}
