//! API keys for integrators (POS, websites, spreadsheets): create one (its
//! secret is shown once, then only a hash is kept), see which exist, revoke.

use crate::api::{list_api_keys, CreateApiKey, RevokeApiKey};
use crate::components::{action_outcome, ErrorBox, Layout, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let created = move || {
        create.value().get().map(|result| match result {
            Ok(new) => view! {
                <div class="secret" role="status">
                    <p>
                        {format!("Key \u{201c}{}\u{201d} created. Copy it now: it will not be shown again.", new.key.name)}
                    </p>
                    <code class="api-key-secret">{new.secret}</code>
                    <p class="hint">"Send it as " <code>"Authorization: Bearer <key>"</code> " to " <a href="/api/v1/openapi.json">"/api/v1"</a> "."</p>
                </div>
            }
            .into_any(),
            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
        })
    };
    let revoked = action_outcome(revoke.value(), "Key revoked.");
    view! {
        <Layout title=|t| t.nav_api_keys>
            <section class="card">
                <h2>"Create a key"</h2>
                {created}
                <ActionForm action=create attr:class="form-grid">
                    <label>"Name" <input type="text" name="name" required maxlength="80" placeholder="Website booking widget"/></label>
                    <button type="submit" class="button primary">"Create key"</button>
                </ActionForm>
            </section>
            {revoked}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">"No API keys yet."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-wrap">
                                    <table class="table api-keys">
                                        <thead>
                                            <tr>
                                                <th>"Name"</th>
                                                <th>"Starts with"</th>
                                                <th>"Created"</th>
                                                <th>"Status"</th>
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
                                                            <td>{if key.revoked { "revoked" } else { "active" }}</td>
                                                            <td>
                                                                {(!key.revoked)
                                                                    .then(|| {
                                                                        view! {
                                                                            <ActionForm action=revoke>
                                                                                <input type="hidden" name="id" value=key.id/>
                                                                                <button type="submit" class="button small danger">"Revoke"</button>
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
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </Layout>
    }
}
