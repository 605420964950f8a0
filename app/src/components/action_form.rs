//! A form that calls a server function: posted by the browser without
//! script, and posted as it is, by `fetch`, with script.
//!
//! Why not Leptos's `ActionForm` and `ServerAction`: theirs reads the
//! form's fields into the function's argument struct (`serde_qs`), then the
//! server function's client encodes that struct back into the very same
//! `application/x-www-form-urlencoded` body (`serde_qs` again) and posts it.
//! Each server function carried both halves, its `Deserialize`, its
//! `Serialize` and its own request code in the WASM: ~33 KB on the
//! resource pages alone. Here one untyped routine posts the form's fields
//! exactly as the browser would without script (so the server sees one
//! kind of body, which the no-script path already tests), and the only
//! typed code left per function is decoding its JSON answer.
//!
//! Imported by name, [`ActionForm`] shadows the prelude's in a module.

use std::marker::PhantomData;

use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::codec::{Json, PostUrl};
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::{Http, ServerFn};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// What a form's server function answered: the value or the error.
pub type FormResult<S> = Result<<S as ServerFn>::Output, AppError>;

/// The state of a form's server function: in flight, last answer, how many
/// answers so far. Like `ServerAction`, but dispatched with the form's
/// fields (see the module's note).
pub struct FormAction<S: ServerFn> {
    action: Action<String, FormResult<S>>,
    server_fn: PhantomData<fn() -> S>,
}

impl<S: ServerFn> Clone for FormAction<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn> Copy for FormAction<S> {}

impl<S> FormAction<S>
where
    // A form posts urlencoded fields and reads JSON back: the default
    // protocol of `#[server]`, which every form's function keeps.
    S: ServerFn<Error = AppError, Protocol = Http<PostUrl, Json>> + 'static,
    S::Output: DeserializeOwned + Send + Sync + 'static,
{
    /// A form action for the server function `S`.
    #[track_caller]
    #[allow(clippy::new_without_default)] // a fresh reactive node, not a value
    pub fn new() -> Self {
        // A form posted without script (or before the page's script ran)
        // comes back as a redirect whose address carries the error: show
        // it, as Leptos's own actions do.
        let refused = use_context::<ServerActionError>().and_then(|error| {
            (error.path() == S::PATH)
                .then(|| Err(ServerFnUrlError::<AppError>::decode_err(error.err())))
        });
        #[cfg(feature = "hydrate")]
        let action =
            Action::new_unsync_with_value(refused, |body: &String| client::post::<S>(body.clone()));
        // Rendered on the server, a form is posted by the browser, never
        // through the action; a `Send` stand-in keeps the action movable
        // between the server's threads.
        #[cfg(not(feature = "hydrate"))]
        let action =
            Action::new_with_value(refused, |_: &String| async { Err(AppError::Internal) });
        Self {
            action,
            server_fn: PhantomData,
        }
    }

    /// The last answer, if any (`None` until the first one).
    pub fn value(&self) -> MappedSignal<Option<FormResult<S>>> {
        self.action.value()
    }

    /// Counts the answers: a resource keyed on it reloads after each save.
    pub fn version(&self) -> RwSignal<usize> {
        self.action.version()
    }

    /// True while a post is in flight.
    pub fn pending(&self) -> Memo<bool> {
        self.action.pending()
    }

    /// Posts these fields as if a form with them were submitted: for a
    /// gesture (a drag on the calendar) that has no form of its own.
    pub fn dispatch_fields(&self, fields: &[(&str, &str)]) {
        #[cfg(feature = "hydrate")]
        if let Some(body) = client::fields_body(fields) {
            self.dispatch_body(body);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = fields;
    }

    fn dispatch_body(&self, body: String) {
        self.action.dispatch(body);
    }
}

#[component]
pub fn ActionForm<S, C>(
    /// The server function's action the form dispatches.
    action: FormAction<S>,
    /// Filled with the `<form>` element (to reset it after a save).
    #[prop(optional)]
    node_ref: Option<NodeRef<leptos::html::Form>>,
    /// Empties the form once the action succeeds: an "add" form, ready for
    /// the next one (kept values invite a duplicate).
    #[prop(optional)]
    reset_on_save: bool,
    children: TypedChildren<C>,
) -> impl IntoView
where
    S: ServerFn<Error = AppError, Protocol = Http<PostUrl, Json>> + 'static,
    S::Output: DeserializeOwned + Send + Sync + 'static,
    C: IntoView + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        // Without a body the browser's own post still works: let it go.
        #[cfg(feature = "hydrate")]
        if let Some(body) = client::form_body(&ev) {
            ev.prevent_default();
            action.dispatch_body(body);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, FormAction::<S>::dispatch_body);
    };
    let children = children.into_inner();
    let node_ref = node_ref.unwrap_or_default();
    if reset_on_save {
        Effect::new(move |_| {
            let saved = action.value().with(|value| matches!(value, Some(Ok(_))));
            if let (true, Some(form)) = (saved, node_ref.get()) {
                form.reset();
            }
        });
    }
    view! {
        <form action=S::url() method="post" on:submit=on_submit node_ref=node_ref>
            {children()}
        </form>
    }
}

/// The browser half: one untyped post for every form.
#[cfg(feature = "hydrate")]
mod client {
    use leptos::server_fn::error::FromServerFnError;
    use leptos::server_fn::{Bytes, ServerFn};
    use serde::de::DeserializeOwned;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use super::FormResult;
    use crate::error::AppError;

    /// The form's fields (and the button that submitted it, as the browser
    /// would send them) as an urlencoded body.
    pub fn form_body(ev: &leptos::ev::SubmitEvent) -> Option<String> {
        let data = leptos::form::form_data_from_event(ev).ok()?;
        let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        Some(String::from(params.to_string()))
    }

    /// `fields` as an urlencoded body.
    pub fn fields_body(fields: &[(&str, &str)]) -> Option<String> {
        let params = web_sys::UrlSearchParams::new().ok()?;
        for (name, value) in fields {
            params.append(name, value);
        }
        Some(String::from(params.to_string()))
    }

    /// Posts `body` to `S`'s URL and decodes its answer the way its client
    /// would: JSON on success, the error's own encoding on an error status.
    pub async fn post<S>(body: String) -> FormResult<S>
    where
        S: ServerFn<Error = AppError>,
        S::Output: DeserializeOwned,
    {
        let (status, bytes) = send(S::url(), body).await.map_err(AppError::Transport)?;
        if (400..=599).contains(&status) {
            return Err(AppError::de(Bytes::from(bytes)));
        }
        serde_json::from_slice(&bytes).map_err(|e| AppError::Transport(e.to_string()))
    }

    /// Not generic, so the WASM holds it once.
    async fn send(url: &str, body: String) -> Result<(u16, Vec<u8>), String> {
        let failed = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers
            .set("Content-Type", "application/x-www-form-urlencoded")
            .map_err(failed)?;
        headers.set("Accept", "application/json").map_err(failed)?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
        let window = web_sys::window().ok_or("no window")?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .map_err(failed)?
                .unchecked_into();
        let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
            .await
            .map_err(failed)?;
        Ok((response.status(), js_sys::Uint8Array::new(&buffer).to_vec()))
    }
}
