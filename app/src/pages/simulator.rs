//! The WhatsApp simulator: staff type as a customer; the message goes
//! through the same pipeline as a real WhatsApp message.

use crate::api::{simulator_thread, SimulatorSend, SimulatorTap};
use crate::components::{Erase, ErrorBox, Layout};
use crate::dto::{ChatBubble, ChatThread};
use crate::i18n::use_locale;
use leptos::prelude::*;

#[component]
pub fn SimulatorPage() -> impl IntoView {
    let locale = use_locale();
    let phone = RwSignal::new("+62 812 0000 0001".to_string());
    let text = RwSignal::new(String::new());
    let send = ServerAction::<SimulatorSend>::new();
    let tap = ServerAction::<SimulatorTap>::new();
    let thread = crate::fetch::load(
        move || (phone.get(), send.version().get(), tap.version().get()),
        |(phone, _, _)| simulator_thread(phone),
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
            .or_else(|| tap.value().get().and_then(Result::err))
            .map(|e| view! { <ErrorBox error=e/> })
    };
    view! {
        <Layout title=|t| t.nav_simulator>
            <p class="muted">
                {locale.text(|t| t.sim_intro)}
            </p>
            <div class="simulator">
                <label class="phone-field">
                    {locale.text(|t| t.sim_number)}
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
                                    Ok(t) => view! { <Bubbles thread=t phone=phone tap=tap/> }.erase(),
                                    Err(e) => view! { <ErrorBox error=e/> }.erase(),
                                }
                            })}
                        </Transition>
                        {move || {
                            (send.pending().get() || tap.pending().get())
                                .then(|| view! { <p class="typing">"typing…"</p> })
                        }}
                    </div>
                    <form class="composer" on:submit=on_submit>
                        <input
                            type="text"
                            name="text"
                            placeholder=locale.text(|t| t.sim_placeholder)
                            autocomplete="off"
                            maxlength="4096"
                            bind:value=text
                        />
                        <button type="submit" class="button primary">{locale.text(|t| t.sim_send)}</button>
                    </form>
                </div>
                {send_error}
            </div>
        </Layout>
    }
}

#[component]
fn Bubbles(
    thread: ChatThread,
    phone: RwSignal<String>,
    tap: ServerAction<SimulatorTap>,
) -> impl IntoView {
    crate::components::scroll_chats_to_end();
    if thread.messages.is_empty() {
        let locale = use_locale();
        return view! { <p class="empty chat-empty">{locale.text(|t| t.sim_empty)}</p> }.erase();
    }
    thread
        .messages
        .into_iter()
        .map(|m| view! { <Bubble message=m phone=phone tap=tap/> })
        .collect_view()
        .erase()
}

/// One message; a reply's buttons sit under it and a list opens from its
/// menu button, as in WhatsApp. Tapping sends the choice as the customer.
#[component]
fn Bubble(
    message: ChatBubble,
    phone: RwSignal<String>,
    tap: ServerAction<SimulatorTap>,
) -> impl IntoView {
    let side = if message.from_customer {
        "bubble customer"
    } else {
        "bubble bot"
    };
    let list = message.menu.is_some();
    let has_choices = !message.choices.is_empty();
    let choices = message
        .choices
        .into_iter()
        .map(|choice| {
            let (id, title) = (choice.id.clone(), choice.title.clone());
            let on_click = move |_| {
                tap.dispatch(SimulatorTap {
                    phone: phone.get_untracked(),
                    kind: if list { "list" } else { "button" }.to_string(),
                    id: id.clone(),
                    title: title.clone(),
                });
            };
            view! {
                <li>
                    <button type="button" class="choice" on:click=on_click>
                        <span class="choice-title">{choice.title}</span>
                        {choice.description.map(|d| view! { <span class="choice-description">{d}</span> })}
                    </button>
                </li>
            }
        })
        .collect_view();
    let choices = match message.menu {
        _ if !has_choices => ().erase(),
        Some(label) => view! {
            <details class="menu">
                <summary>{label}</summary>
                <ul class="rows">{choices}</ul>
            </details>
        }
        .erase(),
        None => view! { <ul class="buttons">{choices}</ul> }.erase(),
    };
    view! {
        <div class=side data-message=message.id>
            <p>{message.body}</p>
            <span class="time">{message.time}</span>
            {choices}
        </div>
    }
}
