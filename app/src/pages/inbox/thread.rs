//! One conversation: its messages as WhatsApp shows them with where each
//! reply's delivery stands, take over and hand back, and the reply box
//! (an approved template instead, once WhatsApp's 24 hours have passed).

use super::customer::CustomerPanel;
use super::reason_text;
use crate::api::{
    get_conversation, ConversationHandBack, ConversationReply, ConversationSendTemplate,
    ConversationTakeOver,
};
use crate::components::{Erase, ErrorBox, Loading};
use crate::dto::{ChatBubble, ConversationDto, TemplateDto};
use crate::i18n::{use_locale, Texts};
use crate::live::use_live;
use domain::ConversationId;
use leptos::prelude::*;

#[component]
pub fn Thread(conversation_id: i64, back: String) -> impl IntoView {
    let live = use_live();
    let locale = use_locale();
    let t = move || locale.t();
    let reply = ServerAction::<ConversationReply>::new();
    let take = ServerAction::<ConversationTakeOver>::new();
    let give = ServerAction::<ConversationHandBack>::new();
    let template = ServerAction::<ConversationSendTemplate>::new();
    let data = crate::fetch::load(
        move || {
            (
                live.conversations.get(),
                reply.version().get(),
                take.version().get(),
                give.version().get(),
                template.version().get(),
            )
        },
        move |_| {
            // Rendered on the server: staff opened it. Refreshed in the
            // browser: read only if someone is looking at this tab.
            let looked_at = cfg!(feature = "ssr") || document().has_focus().unwrap_or(false);
            get_conversation(ConversationId(conversation_id), looked_at)
        },
    );
    let draft = RwSignal::new(String::new());
    // The box empties once the reply is accepted, not before.
    Effect::new(move |_| {
        if let Some(Ok(_)) = reply.value().get() {
            draft.set(String::new());
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        reply.dispatch(ConversationReply {
            conversation_id: ConversationId(conversation_id),
            text,
        });
    };
    let failed = move || {
        reply
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| take.value().get().and_then(Result::err))
            .or_else(|| give.value().get().and_then(Result::err))
            .or_else(|| template.value().get().and_then(Result::err))
            .map(|e| view! { <ErrorBox error=e/> })
    };
    let back = StoredValue::new(back);
    view! {
        <Transition fallback=|| view! { <section class="inbox-thread"><Loading/></section> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => {
                        crate::components::scroll_chats_to_end();
                        let window_open = c.window_open;
                        let templates = c.templates.clone();
                        view! {
                            <section class="inbox-thread" data-testid="thread">
                                <Header c=c.clone() back=back.get_value() take=take give=give/>
                                <div class="chat staff-view" aria-live="polite">
                                    {c.messages
                                        .into_iter()
                                        .map(|m| view! { <Message m/> })
                                        .collect_view()}
                                </div>
                                {if window_open {
                                    view! {
                                        <form class="composer" on:submit=send>
                                            <textarea
                                                name="text"
                                                rows="2"
                                                maxlength="4096"
                                                placeholder=locale.text(|t| t.inbox_reply_placeholder)
                                                aria-label=locale.text(|t| t.inbox_reply_placeholder)
                                                prop:value=move || draft.get()
                                                on:input=move |ev| draft.set(event_target_value(&ev))
                                            ></textarea>
                                            <button
                                                type="submit"
                                                class="button primary"
                                                disabled=move || reply.pending().get()
                                            >
                                                {move || {
                                                    if reply.pending().get() {
                                                        t().inbox_sending
                                                    } else {
                                                        t().inbox_send
                                                    }
                                                }}
                                            </button>
                                        </form>
                                    }
                                        .erase()
                                } else {
                                    view! {
                                        <Templates
                                            conversation_id=conversation_id
                                            templates=templates
                                            action=template
                                        />
                                    }
                                        .erase()
                                }}
                                {failed}
                            </section>
                            <CustomerPanel customer=c.customer/>
                        }
                            .erase()
                    }
                    Err(e) => view! { <section class="inbox-thread"><ErrorBox error=e/></section> }.erase(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Header(
    c: ConversationDto,
    back: String,
    take: ServerAction<ConversationTakeOver>,
    give: ServerAction<ConversationHandBack>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let id = ConversationId(c.row.conversation_id);
    // The number is the heading when the customer has no name; then it is
    // not repeated beside it.
    let (who, number) = match c.row.customer_name.clone() {
        Some(name) => (name, format!("{} · ", c.row.phone)),
        None => (c.row.phone.clone(), String::new()),
    };
    let reason = c.row.reason.clone();
    let handler = c.row.handler.clone();
    let with_person = c.row.with_person;
    view! {
        <header class="thread-header">
            <a class="back" href=back>{move || format!("← {}", t().inbox_back)}</a>
            <div class="thread-who">
                <strong>{who}</strong>
                <span class="muted">{number}{c.row.channel.clone()}</span>
                <span class="status" data-testid="handled-by">
                    {move || match (&handler, with_person) {
                        (Some(name), _) => (t().inbox_handled_by)(name),
                        (None, true) => t().inbox_handled_by_person.to_string(),
                        (None, false) => t().inbox_handled_by_bot.to_string(),
                    }}
                    {move || {
                        reason.as_deref().map(|r| format!(" — {}", reason_text(t(), r)))
                    }}
                </span>
            </div>
            {if with_person {
                view! {
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            give.dispatch(ConversationHandBack { conversation_id: id });
                        }
                    >
                        {locale.text(|t| t.inbox_hand_back)}
                    </button>
                }
                    .erase()
            } else {
                view! {
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            take.dispatch(ConversationTakeOver { conversation_id: id });
                        }
                    >
                        {locale.text(|t| t.inbox_take_over)}
                    </button>
                }
                    .erase()
            }}
        </header>
    }
}

fn tick(t: &'static Texts, delivery: &str) -> (&'static str, &'static str) {
    match delivery {
        "queued" | "sending" => ("🕓", t.tick_queued),
        "sent" => ("✓", t.tick_sent),
        "delivered" => ("✓✓", t.tick_delivered),
        "read" => ("✓✓", t.tick_read),
        _ => ("!", t.tick_failed),
    }
}

/// One message, from staff's side: the customer's on the left, ours (the
/// bot's and staff's) on the right with their delivery.
#[component]
fn Message(m: ChatBubble) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let side = if m.from_customer {
        "bubble theirs"
    } else {
        "bubble ours"
    };
    let delivery = m.delivery.clone();
    let failure = m.failure.clone();
    let choices = (!m.choices.is_empty()).then(|| {
        let rows = m
            .choices
            .iter()
            .map(|c| view! { <li class="choice">{c.title.clone()}</li> })
            .collect_view();
        match m.menu.clone() {
            Some(label) => view! {
                <details class="menu">
                    <summary>{label}</summary>
                    <ul class="rows">{rows}</ul>
                </details>
            }
            .erase(),
            None => view! { <ul class="buttons">{rows}</ul> }.erase(),
        }
    });
    view! {
        <div class=side data-message=m.id>
            {m.author.clone().map(|a| view! { <span class="author">{a}</span> })}
            {m.media
                .clone()
                .map(|kind| view! { <span class="media">{move || format!("📎 {} ({kind})", t().inbox_media)}</span> })}
            <p>{m.body.clone()}</p>
            <span class="time">
                {m.time.clone()}
                {move || {
                    delivery
                        .as_deref()
                        .map(|d| {
                            let (mark, label) = tick(t(), d);
                            view! {
                                <span class=format!("tick tick-{d}") title=label aria-label=label data-delivery=d.to_string()>
                                    {mark}
                                </span>
                            }
                        })
                }}
            </span>
            {failure.clone().map(|f| view! { <span class="failure">{f}</span> })}
            {choices}
        </div>
    }
}

/// Outside WhatsApp's 24 hours: an approved template, its values one per
/// line, is all that may be sent.
#[component]
fn Templates(
    conversation_id: i64,
    templates: Vec<TemplateDto>,
    action: ServerAction<ConversationSendTemplate>,
) -> impl IntoView {
    let locale = use_locale();
    if templates.is_empty() {
        return view! {
            <div class="window-closed">
                <p>{locale.text(|t| t.inbox_window_closed)}</p>
                <p class="muted">{locale.text(|t| t.inbox_no_templates)}</p>
            </div>
        }
        .erase();
    }
    let chosen = RwSignal::new(0usize);
    let values = RwSignal::new(String::new());
    let list = StoredValue::new(templates.clone());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(template) = list.with_value(|l| l.get(chosen.get_untracked()).cloned()) else {
            return;
        };
        action.dispatch(ConversationSendTemplate {
            conversation_id: ConversationId(conversation_id),
            name: template.name,
            language: template.language,
            values: values.get_untracked(),
        });
    };
    view! {
        <form class="window-closed" on:submit=send>
            <p>{locale.text(|t| t.inbox_window_closed)}</p>
            <select
                name="template"
                on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))
            >
                {templates
                    .iter()
                    .enumerate()
                    .map(|(i, tpl)| {
                        view! { <option value=i.to_string()>{format!("{} ({})", tpl.name, tpl.language)}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="muted template-body">
                {move || list.with_value(|l| l.get(chosen.get()).and_then(|tpl| tpl.body.clone()))}
            </p>
            <textarea
                name="values"
                rows="2"
                placeholder="{{1}}\n{{2}}"
                prop:value=move || values.get()
                on:input=move |ev| values.set(event_target_value(&ev))
            ></textarea>
            <button type="submit" class="button primary">{locale.text(|t| t.inbox_send_template)}</button>
        </form>
    }
    .erase()
}
