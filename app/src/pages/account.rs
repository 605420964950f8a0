//! The signed-in user's own account: who they are and their password.
//! A user whose password was set for them (the CLI prints one) lands here
//! at first sign-in and reaches nothing else until they choose their own.

use crate::api::{me, ChangePassword, SetMyName};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let change = FormAction::<ChangePassword>::new();
    let rename = FormAction::<SetMyName>::new();
    let who = crate::fetch::load(
        move || (change.version().get(), rename.version().get()),
        |_| me(),
    );
    let outcome = move || {
        change.value().get().map(|result| match result {
            Ok(()) => view! {
                <div class="notice" role="status">
                    <p>{locale.text(|t| t.acct_saved)}</p>
                    // A full load: the frame and every page ask afresh.
                    <a href="/" rel="external">{locale.text(|t| t.acct_continue)}</a>
                </div>
            }
            .erase(),
            Err(e) => view! { <ErrorBox error=e/> }.erase(),
        })
    };
    view! {
        <Layout title=|t| t.page_account>
            {move || action_outcome(rename.value(), t().acct_name_saved)()}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match who.await {
                        Ok(Some(me)) => {
                            view! {
                                <section class="card">
                                    <h2>{me.name.clone()}</h2>
                                    <p>
                                        {me.email.clone()}
                                        " · "
                                        {move || t().role(me.role)}
                                        " · "
                                        {me.tenant_name.clone()}
                                    </p>
                                    {(!me.must_change_password)
                                        .then(|| {
                                            view! {
                                                <ActionForm action=rename attr:class="form-grid">
                                                    <label>
                                                        {locale.text(|t| t.acct_name)}
                                                        <input type="text" name="name" required maxlength="80" autocomplete="name" value=me.name.clone()/>
                                                    </label>
                                                    <button type="submit" class="button">{locale.text(|t| t.acct_name_save)}</button>
                                                </ActionForm>
                                            }
                                        })}
                                    {me
                                        .must_change_password
                                        .then(|| {
                                            view! {
                                                <p class="warning" role="alert" data-testid="must-change">
                                                    {locale.text(|t| t.acct_must_change)}
                                                </p>
                                            }
                                        })}
                                </section>
                            }
                                .erase()
                        }
                        Ok(None) => view! { <ErrorBox error=crate::error::AppError::Unauthorized/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
            <section class="card">
                <h2>{locale.text(|t| t.acct_password)}</h2>
                {outcome}
                <ActionForm action=change attr:class="form-grid">
                    <label>
                        {locale.text(|t| t.acct_current)}
                        <input type="password" name="current" autocomplete="current-password" required maxlength="1024"/>
                    </label>
                    <label>
                        {locale.text(|t| t.acct_new)}
                        <input type="password" name="new" autocomplete="new-password" required minlength="8" maxlength="1024"/>
                    </label>
                    <label>
                        {locale.text(|t| t.acct_confirm)}
                        <input type="password" name="confirm" autocomplete="new-password" required minlength="8" maxlength="1024"/>
                    </label>
                    <button type="submit" class="button primary">{locale.text(|t| t.acct_save)}</button>
                </ActionForm>
            </section>
        </Layout>
    }
    .erase()
}
