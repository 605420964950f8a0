//! Sign-in. A plain HTML form posted to `/auth/login`, so it works before
//! (and without) the WASM; the server answers with a session cookie.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let message = move || {
        query.read().get("error").map(|code| match code.as_str() {
            "throttled" => "Too many failed attempts. Wait a minute, then try again.".to_string(),
            _ => "Wrong email or password.".to_string(),
        })
    };
    view! {
        <div class="center-page">
            <form class="card narrow login" method="post" action="/auth/login">
                <div class="brand big">
                    <span class="brand-mark">"P"</span>
                    <span>"Pesan"</span>
                </div>
                <p class="muted">"Sign in to run your venue."</p>
                {move || message().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <label>
                    "Email"
                    <input type="email" name="email" autocomplete="username" required/>
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                <button type="submit" class="button primary">"Sign in"</button>
            </form>
        </div>
    }
}
