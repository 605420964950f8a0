//! The WhatsApp simulator: staff type as a customer; the message goes
//! through the same pipeline as a real WhatsApp message.

use crate::api::{simulator_thread, SimulatorSend};
use crate::components::{ErrorBox, Layout};
use crate::dto::ChatThread;
use leptos::prelude::*;

#[component]
pub fn SimulatorPage() -> impl IntoView {
    let phone = RwSignal::new("+62 812 0000 0001".to_string());
    let text = RwSignal::new(String::new());
    let send = ServerAction::<SimulatorSend>::new();
    let thread = Resource::new(
        move || (phone.get(), send.version().get()),
        |(phone, _)| simulator_thread(phone),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let message = text.get_untracked();
        if message.trim().is_empty() {
            return;
        }
        send.dispatch(SimulatorSend {
            phone: phone.get_untracked(),
            text: message,
        });
        text.set(String::new());
    };
    let send_error = move || {
        send.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorBox error=e/> })
    };
    view! {
        <Layout title="WhatsApp simulator">
            <p class="muted">
                "Write as a customer would on WhatsApp. Messages go through the real bot and booking engine; bookings made here are real."
            </p>
            <div class="simulator">
                <label class="phone-field">
                    "Customer's WhatsApp number"
                    <input type="tel" name="phone" bind:value=phone/>
                </label>
                <div class="phone-frame">
                    <div class="chat-header">
                        <span class="avatar">"P"</span>
                        <span>"Pesan bot"</span>
                    </div>
                    <div class="chat" aria-live="polite">
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                match thread.await {
                                    Ok(t) => view! { <Bubbles thread=t/> }.into_any(),
                                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                                }
                            })}
                        </Transition>
                        {move || send.pending().get().then(|| view! { <p class="typing">"typing…"</p> })}
                    </div>
                    <form class="composer" on:submit=on_submit>
                        <input
                            type="text"
                            name="text"
                            placeholder="Type a message, e.g. book futsal tomorrow 7pm"
                            autocomplete="off"
                            maxlength="4096"
                            bind:value=text
                        />
                        <button type="submit" class="button primary">"Send"</button>
                    </form>
                </div>
                {send_error}
            </div>
        </Layout>
    }
}

#[component]
fn Bubbles(thread: ChatThread) -> impl IntoView {
    if thread.messages.is_empty() {
        return view! { <p class="empty chat-empty">"No messages yet. Say hello!"</p> }.into_any();
    }
    thread
        .messages
        .into_iter()
        .map(|m| {
            let side = if m.from_customer {
                "bubble customer"
            } else {
                "bubble bot"
            };
            view! {
                <div class=side data-message=m.id>
                    <p>{m.body}</p>
                    <span class="time">{m.time}</span>
                </div>
            }
        })
        .collect_view()
        .into_any()
}
