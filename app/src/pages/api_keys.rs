//! API keys for integrators (POS, websites, spreadsheets): create one (its
//! secret is shown once, then only a hash is kept), see which exist, revoke.

use crate::api::{list_api_keys, CreateApiKey, RevokeApiKey};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let create = FormAction::<CreateApiKey>::new();
    let revoke = FormAction::<RevokeApiKey>::new();
    let keys = crate::fetch::load(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let created = move || {
        create.value().get().map(|result| match result {
            Ok(new) => view! {
                <div class="secret" role="status">
                    <p>
                        {move || (t().key_made)(&new.key.name)}
                    </p>
                    <code class="api-key-secret">{new.secret}</code>
                    <p class="hint">{locale.text(|t| t.key_send_as)}" " <code>"Authorization: Bearer <key>"</code> {locale.text(|t| t.key_to)} <a href="/api/v1/openapi.json">"/api/v1"</a> "."</p>
                </div>
            }
            .erase(),
            Err(e) => view! { <ErrorBox error=e/> }.erase(),
        })
    };
    let revoked = move || action_outcome(revoke.value(), t().key_revoked)();
    view! {
        <Layout title=|t| t.nav_api_keys>
            <section class="card">
                <h2>{locale.text(|t| t.key_create_title)}</h2>
                {created}
                <ActionForm action=create attr:class="form-grid">
                    <label>{locale.text(|t| t.key_name)} <input type="text" name="name" required maxlength="80" placeholder=locale.text(|t| t.key_name_example)/></label>
                    <button type="submit" class="button primary">{locale.text(|t| t.key_create)}</button>
                </ActionForm>
            </section>
            {revoked}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{locale.text(|t| t.key_none)}</p> }.erase()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-wrap">
                                    <table class="table api-keys">
                                        <thead>
                                            <tr>
                                                <th>{locale.text(|t| t.key_name)}</th>
                                                <th>{locale.text(|t| t.key_starts)}</th>
                                                <th>{locale.text(|t| t.key_created_at)}</th>
                                                <th>{locale.text(|t| t.key_status)}</th>
                                                <th></th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list
                                                .into_iter()
                                                .map(|key| {
                                                    view! {
                                                        <tr>
                                                            <td>{key.name}</td>
                                                            <td><code>{format!("{}…", key.prefix)}</code></td>
                                                            <td>{key.created}</td>
                                                            <td>{move || if key.revoked { t().key_revoked_state } else { t().key_active }}</td>
                                                            <td>
                                                                {(!key.revoked)
                                                                    .then(|| {
                                                                        view! {
                                                                            <ActionForm action=revoke>
                                                                                <input type="hidden" name="id" value=key.id/>
                                                                                <button type="submit" class="button small danger">{locale.text(|t| t.key_revoke)}</button>
                                                                            </ActionForm>
                                                                        }
                                                                    })}
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
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
        </Layout>
    }
}
