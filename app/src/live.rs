//! Live updates in the browser: one `EventSource` on `/events` per page
//! (see the server's `live` module), turned into counters that pages read.
//! A page's data depends on the counter of what it shows (`bookings`,
//! `conversations`), so a change made anywhere (WhatsApp, the API, another
//! staff member) reads it again without a reload.
//!
//! The browser reconnects a dropped stream by itself; a stream that was
//! refused (signed out, or the server restarting) is tried again every few
//! seconds. After a reconnect everything is read again, since news may
//! have been missed meanwhile. When the number of conversations waiting for
//! a person grows, a browser notification is raised (if staff allowed it).

use leptos::prelude::*;

/// The counters of the page, in context.
#[derive(Clone, Copy)]
pub struct Live {
    /// Bumped when bookings (or what decides them) changed.
    pub bookings: RwSignal<u64>,
    /// Bumped when conversations changed.
    pub conversations: RwSignal<u64>,
    /// Conversations waiting for a person (-1 until known).
    pub waiting: RwSignal<i64>,
    /// The stream is open now.
    pub connected: RwSignal<bool>,
    started: StoredValue<bool>,
}

pub fn provide_live() -> Live {
    let live = Live {
        bookings: RwSignal::new(0),
        conversations: RwSignal::new(0),
        waiting: RwSignal::new(-1),
        connected: RwSignal::new(true),
        started: StoredValue::new(false),
    };
    provide_context(live);
    live
}

pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(provide_live)
}

impl Live {
    /// Opens the stream once per page load (signed-in pages call it); on
    /// the server it does nothing.
    pub fn start(self, notice: &'static str) {
        if self.started.get_value() {
            return;
        }
        self.started.set_value(true);
        #[cfg(not(feature = "ssr"))]
        browser::connect(self, notice);
        #[cfg(feature = "ssr")]
        let _ = notice;
    }
}

/// The waiting count an event carried (`{"waiting":N}`).
#[cfg_attr(feature = "ssr", allow(dead_code))]
fn waiting_of(data: &str) -> Option<i64> {
    let digits = data.split("\"waiting\":").nth(1)?;
    let number: String = digits
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    number.parse().ok()
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use super::Live;
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent, Notification, NotificationPermission};

    const RETRY_MS: u64 = 5_000;

    pub fn connect(live: Live, notice: &'static str) {
        let Ok(source) = EventSource::new("/events") else {
            live.connected.set(false);
            return;
        };
        let on = |name: &str, act: Box<dyn Fn(String)>| {
            let closure = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                act(event.data().as_string().unwrap_or_default());
            });
            let _ = source.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            closure.forget();
        };
        let waiting = move |data: &str| {
            if let Some(now) = super::waiting_of(data) {
                let before = live.waiting.get_untracked();
                live.waiting.set(now);
                if before >= 0 && now > before {
                    notify(notice);
                }
            }
        };
        on(
            "hello",
            Box::new(move |data| {
                // (Re)connected: news may have been missed meanwhile.
                let was_offline = !live.connected.get_untracked();
                live.connected.set(true);
                waiting(&data);
                if was_offline {
                    live.bookings.update(|n| *n += 1);
                    live.conversations.update(|n| *n += 1);
                }
            }),
        );
        on(
            "bookings",
            Box::new(move |_| live.bookings.update(|n| *n += 1)),
        );
        on(
            "conversations",
            Box::new(move |data| {
                waiting(&data);
                live.conversations.update(|n| *n += 1);
            }),
        );
        on(
            "resync",
            Box::new(move |data| {
                waiting(&data);
                live.bookings.update(|n| *n += 1);
                live.conversations.update(|n| *n += 1);
            }),
        );
        let retry_source = source.clone();
        let on_error = Closure::<dyn Fn()>::new(move || {
            live.connected.set(false);
            // Closed for good (refused): open a new one later; otherwise
            // the browser is already reconnecting.
            if retry_source.ready_state() == EventSource::CLOSED {
                set_timeout(
                    move || connect(live, notice),
                    std::time::Duration::from_millis(RETRY_MS),
                );
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
    }

    /// Whether this browser has notifications at all (some phones do not;
    /// calling into a missing `Notification` would throw).
    fn supported() -> bool {
        window()
            .dyn_into::<wasm_bindgen::JsValue>()
            .ok()
            .and_then(|w| js_sys::Reflect::has(&w, &"Notification".into()).ok())
            .unwrap_or(false)
    }

    fn notify(text: &str) {
        if supported() && Notification::permission() == NotificationPermission::Granted {
            let _ = Notification::new(text);
        }
    }

    /// Asks the browser for permission to notify (from a click).
    pub fn ask_permission() {
        if supported() {
            let _ = Notification::request_permission();
        }
    }

    pub fn may_ask() -> bool {
        supported() && Notification::permission() == NotificationPermission::Default
    }
}

/// Asks for permission to raise notifications; only from a user's click.
pub fn ask_notification_permission() {
    #[cfg(not(feature = "ssr"))]
    browser::ask_permission();
}

/// Whether the browser has not been asked yet.
pub fn notifications_undecided() -> bool {
    #[cfg(not(feature = "ssr"))]
    {
        browser::may_ask()
    }
    #[cfg(feature = "ssr")]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_waiting_count_is_read_from_an_event() {
        assert_eq!(super::waiting_of("{\"waiting\":3}"), Some(3));
        assert_eq!(super::waiting_of("{\"waiting\": -1}"), Some(-1));
        assert_eq!(super::waiting_of("{}"), None);
    }
}
