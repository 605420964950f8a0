//! An invite link's page: what it offers, and the form that makes the
//! account. The form is a plain HTML post to `/auth/invite` (like signing
//! in), so it works before the WASM has loaded; the server signs the new
//! member in, or sends them back here with the reason.

use crate::api::invite_offer;
use crate::components::{Erase, ErrorBox};
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InvitePage() -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let offer = crate::fetch::load(token, invite_offer);
    let error = move || {
        query
            .read()
            .get("error")
            .and_then(|code| match code.as_str() {
                "taken" => Some(t().invite_err_taken),
                "weak" => Some(t().invite_err_weak),
                "mismatch" => Some(t().invite_err_mismatch),
                "email" => Some(t().invite_err_email),
                "invalid" => Some(t().invite_err_invalid),
                _ => None,
            })
    };
    view! {
        <div class="center-page">
            <div class="card narrow login">
                <div class="brand big">
                    <span class="brand-mark">"P"</span>
                    <span>"Pesan"</span>
                </div>
                <h1>{locale.text(|t| t.invite_title)}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match offer.await {
                            Ok(Some(offer)) => {
                                let venue = offer.tenant_name.clone();
                                let role = offer.role;
                                view! {
                                    <p data-testid="invite-offer">
                                        {move || (t().invite_offer_line)(&venue, t().role(role))}
                                    </p>
                                    {move || error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                                    <form method="post" action="/auth/invite" class="form-stack">
                                        <input type="hidden" name="token" value=token/>
                                        <label>
                                            {locale.text(|t| t.invite_your_name)}
                                            <input type="text" name="name" autocomplete="name" maxlength="80"/>
                                        </label>
                                        <label>
                                            {locale.text(|t| t.email)}
                                            <input type="email" name="email" autocomplete="username" required maxlength="254"/>
                                        </label>
                                        <label>
                                            {locale.text(|t| t.acct_new)}
                                            <input type="password" name="password" autocomplete="new-password" required minlength="8" maxlength="1024"/>
                                        </label>
                                        <label>
                                            {locale.text(|t| t.acct_confirm)}
                                            <input type="password" name="confirm" autocomplete="new-password" required minlength="8" maxlength="1024"/>
                                        </label>
                                        <button type="submit" class="button primary">{locale.text(|t| t.invite_join)}</button>
                                    </form>
                                }
                                    .erase()
                            }
                            Ok(None) => {
                                view! {
                                    <p class="error" role="alert" data-testid="invite-dead">{locale.text(|t| t.invite_dead)}</p>
                                    <a href="/login">{locale.text(|t| t.sign_in)}</a>
                                }
                                    .erase()
                            }
                            Err(e) => view! { <ErrorBox error=e/> }.erase(),
                        }
                    })}
                </Suspense>
            </div>
        </div>
    }
    .erase()
}
