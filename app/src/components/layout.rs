//! The frame around every signed-in page: navigation, tenant, sign-out.

use crate::api::me;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(#[prop(into)] title: String, children: Children) -> impl IntoView {
    let staff = Resource::new(|| (), |_| me());
    view! {
        <div class="app">
            <aside class="sidebar">
                <a class="brand" href="/">
                    <span class="brand-mark">"P"</span>
                    <span>"Pesan"</span>
                </a>
                <nav class="nav">
                    <A href="/" exact=true>"Overview"</A>
                    <A href="/calendar">"Calendar"</A>
                    <A href="/bookings">"Bookings"</A>
                    <A href="/resources">"Resources"</A>
                    <A href="/simulator">"WhatsApp simulator"</A>
                    <A href="/settings/api-keys">"API keys"</A>
                </nav>
            </aside>
            <div class="main">
                <header class="topbar">
                    <h1>{title}</h1>
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
                                            <span class="user">{s.name}" · "{s.role.as_str()}</span>
                                        }
                                    })
                            })}
                        </Suspense>
                        <form method="post" action="/auth/logout">
                            <button type="submit" class="button ghost">"Sign out"</button>
                        </form>
                    </div>
                </header>
                <main class="content">{children()}</main>
            </div>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted">"Loading…"</p> }
}

/// Shows a server function's error; a lost session links to the login page.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let signed_out = error == AppError::Unauthorized;
    view! {
        <div class="error" role="alert">
            <p>{error.to_string()}</p>
            {signed_out.then(|| view! { <a href="/login">"Sign in"</a> })}
        </div>
    }
}
