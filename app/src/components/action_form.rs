//! A form that calls a server function: posted by the browser without
//! script, dispatched to the action with it.
//!
//! Why not Leptos's own `ActionForm`: it takes `Children`, which boxes the
//! form's fields into an `AnyView` and so keeps their async hydration code
//! in the WASM (see `sync_view`). This one takes typed children; otherwise
//! it behaves the same: the form posts to the function's URL, and a
//! submit with script reads the fields (`FromFormData`) and dispatches, or
//! puts the reading's error where the action's result goes.
//! Imported by name, it shadows the prelude's `ActionForm` in a module.

use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

#[component]
pub fn ActionForm<ServFn, C>(
    /// The server function's action the form dispatches.
    action: ServerAction<ServFn>,
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
    ServFn: ServerFn + DeserializeOwned + Clone + Send + Sync + 'static,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: FromServerFnError + Send + Sync + 'static,
    C: IntoView + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        match ServFn::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(error) => {
                let refused = ServerFnErrorErr::Serialization(error.to_string());
                action
                    .value()
                    .set(Some(Err(ServFn::Error::from_server_fn_error(refused))));
                action.version().update(|n| *n += 1);
            }
        }
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
        <form action=ServFn::url() method="post" on:submit=on_submit node_ref=node_ref>
            {children()}
        </form>
    }
}
