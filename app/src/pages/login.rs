//! Sign-in. A plain HTML form posted to `/auth/login`, so it works before
//! (and without) the WASM; the server answers with a session cookie.

use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let locale = use_locale();
    let t = move || locale.t();
    let message = move || {
        query.read().get("error").map(|code| match code.as_str() {
            "throttled" => t().login_throttled,
            _ => t().login_wrong,
        })
    };
    view! {
        <div class="center-page">
            <form class="card narrow login" method="post" action="/auth/login">
                <div class="brand big">
                    <span class="brand-mark">"P"</span>
                    <span>"Pesan"</span>
                </div>
                <p class="muted">{locale.text(|t| t.sign_in_intro)}</p>
                {move || message().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <label>
                    {locale.text(|t| t.email)}
                    <input type="email" name="email" autocomplete="username" required/>
                </label>
                <label>
                    {locale.text(|t| t.password)}
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                <button type="submit" class="button primary">{locale.text(|t| t.sign_in)}</button>
                // Plain links (no script needed): the server sets the
                // language cookie and shows this page again.
                <p class="lang-links">
                    <a href="/auth/language?lang=en" rel="external" hreflang="en" lang="en">"English"</a>
                    " · "
                    <a href="/auth/language?lang=id" rel="external" hreflang="id" lang="id">"Bahasa Indonesia"</a>
                </p>
            </form>
        </div>
    }
}
