//! The page for an address with nothing at it (a 404), in the reader's
//! language.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let locale = crate::i18n::use_locale();
    view! {
        <div class="center-page">
            <div class="card narrow">
                <h1>{locale.text(|t| t.nf_title)}</h1>
                <p>{locale.text(|t| t.nf_body)}</p>
                <a class="button" href="/">{locale.text(|t| t.nf_back)}</a>
            </div>
        </div>
    }
}
