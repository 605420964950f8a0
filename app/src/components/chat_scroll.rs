//! Chat windows open on their newest message.

use leptos::prelude::*;

/// After the calling component renders (and on each re-render of the
/// thread it sits in), scrolls every chat window to its end: the newest
/// message, the bot's answer to a tap, the reply staff just sent.
pub fn scroll_chats_to_end() {
    Effect::new(|_| {
        request_animation_frame(|| {
            use wasm_bindgen::JsCast;
            let Ok(chats) = document().query_selector_all(".chat") else {
                return;
            };
            for i in 0..chats.length() {
                if let Some(chat) = chats
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                {
                    chat.set_scroll_top(chat.scroll_height());
                }
            }
        });
    });
}
