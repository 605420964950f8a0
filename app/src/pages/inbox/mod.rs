//! The inbox: every conversation with customers, the one opened, and the
//! customer beside it. At 1280 px the three sit side by side; on a phone
//! the list and an opened conversation take the screen in turn.
//!
//! Everything reads again when the live stream says conversations changed
//! (a customer wrote, the bot answered, a delivery status came, another
//! staff member replied), so nothing needs a reload.

mod customer;
mod thread;

use crate::api::list_conversations;
use crate::components::{Erase, ErrorBox, Layout, Loading};
use crate::dto::ConversationRowDto;
use crate::i18n::{use_locale, Texts};
use crate::live::{ask_notification_permission, notifications_undecided, use_live};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Why a person has the conversation, in staff's words.
pub(crate) fn reason_text(t: &'static Texts, reason: &str) -> &'static str {
    match reason {
        "asked" => t.reason_asked,
        "unclear" => t.reason_unclear,
        "unanswered" => t.reason_unanswered,
        "agent" => t.reason_agent,
        _ => t.reason_staff,
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live();
    let locale = use_locale();
    let t = move || locale.t();
    let open = move || query.read().get("c").and_then(|c| c.parse::<i64>().ok());
    let with_person = move || query.read().get("person").is_some_and(|p| p == "1");
    let search = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());
    let list = crate::fetch::load(
        move || (with_person(), search.get(), live.conversations.get()),
        |(with_person, search, _)| {
            list_conversations(
                with_person,
                Some(search).filter(|s| !s.trim().is_empty()),
                None,
            )
        },
    );
    let link = move |conversation: Option<i64>, person: bool| {
        let mut parts = Vec::new();
        if let Some(c) = conversation {
            parts.push(format!("c={c}"));
        }
        if person {
            parts.push("person=1".to_string());
        }
        if parts.is_empty() {
            "/inbox".to_string()
        } else {
            format!("/inbox?{}", parts.join("&"))
        }
    };
    let ask = RwSignal::new(false);
    Effect::new(move |_| ask.set(notifications_undecided()));
    view! {
        <Layout title=|t| t.inbox_title>
            <div class="inbox" class:has-open=move || open().is_some()>
                <section class="inbox-list" aria-label=locale.text(|t| t.inbox_title)>
                    <div class="inbox-tools">
                        <div class="segmented" role="group">
                            <a
                                href=move || link(None, false)
                                class:active=move || !with_person()
                                aria-current=move || (!with_person()).then_some("true")
                            >
                                {locale.text(|t| t.inbox_all)}
                            </a>
                            <a
                                href=move || link(None, true)
                                class:active=with_person
                                aria-current=move || with_person().then_some("true")
                                data-testid="filter-needs-person"
                            >
                                {locale.text(|t| t.inbox_needs_person)}
                                {move || {
                                    (live.waiting.get() > 0)
                                        .then(|| view! { <span class="count">{live.waiting.get()}</span> })
                                }}
                            </a>
                        </div>
                        <input
                            type="search"
                            name="q"
                            placeholder=locale.text(|t| t.inbox_search)
                            aria-label=locale.text(|t| t.inbox_search)
                            bind:value=search
                        />
                        {move || {
                            ask.get()
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="button ghost small"
                                            on:click=move |_| {
                                                ask_notification_permission();
                                                ask.set(false);
                                            }
                                        >
                                            {t().notify_me}
                                        </button>
                                    }
                                })
                        }}
                    </div>
                    <Transition fallback=Loading>
                        {move || Suspend::new(async move {
                            match list.await {
                                Ok(page) if page.rows.is_empty() => {
                                    let empty = if with_person() {
                                        t().inbox_empty_needs_person
                                    } else {
                                        t().inbox_empty
                                    };
                                    view! { <p class="empty">{empty}</p> }.erase()
                                }
                                Ok(page) => {
                                    view! {
                                        <ul class="conversations">
                                            {page
                                                .rows
                                                .into_iter()
                                                .map(|row| {
                                                    let href = link(Some(row.conversation_id), with_person());
                                                    let current = open() == Some(row.conversation_id);
                                                    view! { <ConversationLine row href current/> }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .erase()
                                }
                                Err(e) => view! { <ErrorBox error=e/> }.erase(),
                            }
                        })}
                    </Transition>
                </section>
                {move || match open() {
                    Some(id) => {
                        view! { <thread::Thread conversation_id=id back=link(None, with_person())/> }
                            .erase()
                    }
                    None => {
                        view! {
                            <section class="inbox-thread placeholder">
                                <p class="muted">{locale.text(|t| t.inbox_pick)}</p>
                            </section>
                        }
                            .erase()
                    }
                }}
            </div>
        </Layout>
    }
}

#[component]
fn ConversationLine(row: ConversationRowDto, href: String, current: bool) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let who = row
        .customer_name
        .clone()
        .unwrap_or_else(|| row.phone.clone());
    let handler = row.handler.clone();
    let (with_person, waiting, unread) = (row.with_person, row.waiting, row.unread);
    view! {
        <li>
            <a
                class="conversation"
                class:current=current
                class:waiting=waiting
                href=href
                aria-current=current.then_some("page")
                data-testid="conversation"
                data-conversation=row.conversation_id
            >
                <span class="who">{who}</span>
                <span class="when">{row.last_at}</span>
                <span class="last">
                    {(!row.last_from_customer).then_some("↪ ")}
                    {row.last_text}
                </span>
                <span class="handler">
                    {move || match (&handler, with_person) {
                        (Some(name), _) => (t().inbox_handled_by)(name),
                        (None, true) => t().inbox_handled_by_person.to_string(),
                        (None, false) => t().inbox_handled_by_bot.to_string(),
                    }}
                </span>
                {(unread > 0)
                    .then(|| {
                        view! {
                            <span class="unread" title=move || (t().inbox_unread)(unread)>
                                {unread}
                            </span>
                        }
                    })}
            </a>
        </li>
    }
}
