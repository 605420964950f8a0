//! The dashboard's words in English and Indonesian.
//!
//! One typed catalogue per language ([`en::EN`], [`id::ID`]): a text the
//! interface shows is a field of [`Texts`], so a language missing a text
//! does not compile, and no component carries its own string.
//!
//! The language is chosen per user: the server remembers it on the user
//! and in the `pesan_lang` cookie, renders the page in it, and writes it
//! into `<html lang>`, where hydration reads it back, so the server's HTML
//! and the browser's first render agree. Switching changes a signal: every
//! text reads it, and the page changes without a reload.

mod en;
mod id;

use leptos::prelude::*;

pub use domain::language::Lang;

/// The cookie that carries the user's language to the server.
pub const COOKIE: &str = "pesan_lang";

/// The catalogue of one language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &en::EN,
        Lang::Id => &id::ID,
    }
}

/// `en` or `id`, as in the cookie and `<html lang>`.
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Id => "id",
    }
}

/// The language a cookie or attribute names; English for anything else.
pub fn parse(code: &str) -> Lang {
    if code.trim().eq_ignore_ascii_case("id") {
        Lang::Id
    } else {
        Lang::En
    }
}

/// The language of a request's `Cookie` header, if it names one.
pub fn from_cookie_header(header: &str) -> Option<Lang> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| parse(value))
}

/// The interface's language, shared by every component of the page.
#[derive(Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

impl Locale {
    /// The current catalogue; reading it in a closure makes the text follow
    /// a switch of language.
    pub fn t(&self) -> &'static Texts {
        texts(self.0.get())
    }

    pub fn lang(&self) -> Lang {
        self.0.get()
    }
}

/// The language this render starts in: the request's cookie on the server,
/// `<html lang>` (which the server wrote) in the browser.
pub fn initial() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .find_map(from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .map(|code| parse(&code))
            .unwrap_or_default()
    }
}

/// Puts the page's [`Locale`] into context; called once, by the app.
pub fn provide_locale() -> Locale {
    let locale = Locale(RwSignal::new(initial()));
    provide_context(locale);
    locale
}

/// The page's [`Locale`].
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(|| Locale(RwSignal::new(Lang::En)))
}

/// Every text of the interface, in one language.
pub struct Texts {
    // Frame
    pub nav_overview: &'static str,
    pub nav_inbox: &'static str,
    pub nav_calendar: &'static str,
    pub nav_bookings: &'static str,
    pub nav_resources: &'static str,
    pub nav_simulator: &'static str,
    pub nav_api_keys: &'static str,
    pub page_booking: &'static str,
    pub page_resource: &'static str,
    pub sign_out: &'static str,
    pub language: &'static str,
    pub loading: &'static str,
    pub sign_in_again: &'static str,
    pub live_offline: &'static str,
    // Sign-in
    pub sign_in_intro: &'static str,
    pub sign_in: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_throttled: &'static str,
    pub login_wrong: &'static str,
    // Overview
    pub bookings_today: &'static str,
    pub revenue_today: &'static str,
    pub todays_bookings: &'static str,
    pub no_bookings_today: &'static str,
    // Bookings table
    pub col_code: &'static str,
    pub col_status: &'static str,
    pub col_customer: &'static str,
    pub col_resource: &'static str,
    pub col_date: &'static str,
    pub col_time: &'static str,
    pub col_price: &'static str,
    // Inbox
    pub inbox_title: &'static str,
    pub inbox_all: &'static str,
    pub inbox_needs_person: &'static str,
    pub inbox_search: &'static str,
    pub inbox_empty: &'static str,
    pub inbox_empty_needs_person: &'static str,
    pub inbox_pick: &'static str,
    pub inbox_handled_by_bot: &'static str,
    pub inbox_handled_by: fn(&str) -> String,
    pub inbox_handled_by_person: &'static str,
    pub inbox_unread: fn(i64) -> String,
    pub inbox_take_over: &'static str,
    pub inbox_hand_back: &'static str,
    pub inbox_reply_placeholder: &'static str,
    pub inbox_send: &'static str,
    pub inbox_sending: &'static str,
    pub inbox_window_closed: &'static str,
    pub inbox_send_template: &'static str,
    pub inbox_no_templates: &'static str,
    pub inbox_back: &'static str,
    pub inbox_media: &'static str,
    pub inbox_list_button: &'static str,
    pub tick_queued: &'static str,
    pub tick_sent: &'static str,
    pub tick_delivered: &'static str,
    pub tick_read: &'static str,
    pub tick_failed: &'static str,
    pub reason_asked: &'static str,
    pub reason_unclear: &'static str,
    pub reason_unanswered: &'static str,
    pub reason_agent: &'static str,
    pub reason_staff: &'static str,
    pub customer_panel: &'static str,
    pub customer_phone: &'static str,
    pub customer_upcoming: &'static str,
    pub customer_past: &'static str,
    pub customer_no_shows: &'static str,
    pub customer_total_spent: &'static str,
    pub customer_notes: &'static str,
    pub customer_notes_save: &'static str,
    pub customer_notes_saved: &'static str,
    pub customer_none: &'static str,
    pub needs_person_notice: &'static str,
    pub notify_me: &'static str,
    // Bookings
    pub status_label: fn(domain::BookingStatus) -> &'static str,
    pub channel_label: fn(&str) -> &'static str,
    pub bookings_hint: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_outlet: &'static str,
    pub filter_status: &'static str,
    pub filter_channel: &'static str,
    pub filter_search: &'static str,
    pub filter_any: &'static str,
    pub filter_apply: &'static str,
    pub filter_clear: &'static str,
    pub export_csv: &'static str,
    pub no_bookings_match: &'static str,
    pub next_page: &'static str,
    pub first_page: &'static str,
    pub col_channel: &'static str,
    pub col_actions: &'static str,
    pub act_confirm: &'static str,
    pub act_check_in: &'static str,
    pub act_complete: &'static str,
    pub act_no_show: &'static str,
    pub act_cancel: &'static str,
    pub act_reason: &'static str,
    pub act_reason_placeholder: &'static str,
    pub act_reschedule: &'static str,
    pub act_move: &'static str,
    pub booking_updated: &'static str,
    // Calendar
    pub walk_in: &'static str,
    pub hold: &'static str,
    pub cal_day: &'static str,
    pub cal_week: &'static str,
    pub cal_month: &'static str,
    pub cal_today: &'static str,
    pub cal_prev_day: &'static str,
    pub cal_next_day: &'static str,
    pub cal_prev_week: &'static str,
    pub cal_next_week: &'static str,
    pub cal_prev_month: &'static str,
    pub cal_next_month: &'static str,
    pub cal_go: &'static str,
    pub cal_times_in: fn(&str, &str) -> String,
    pub cal_closed: fn(&str) -> String,
    pub cal_hint: &'static str,
    pub cal_bookings_count: fn(i64) -> String,
    pub cal_moved: &'static str,
    pub new_booking: &'static str,
    pub field_resource: &'static str,
    pub field_date: &'static str,
    pub field_start: &'static str,
    pub field_length: &'static str,
    pub field_customer_phone: &'static str,
    pub field_customer_name: &'static str,
    pub optional: &'static str,
    pub phone_placeholder: &'static str,
    pub book: &'static str,
    pub booked_line: fn(&str, &str, &str) -> String,
    pub open_booking: &'static str,
    pub quote_line: fn(&str, &str, &str) -> String,
    pub quote_taken: &'static str,
    pub length_minutes: fn(i64) -> String,
    // Resource settings, archive and price grid
    pub res_settings: &'static str,
    pub res_name: &'static str,
    pub res_kind: &'static str,
    pub res_capacity: &'static str,
    pub res_slot: &'static str,
    pub res_min: &'static str,
    pub res_max: &'static str,
    pub res_rate: &'static str,
    pub res_save: &'static str,
    pub res_saved: &'static str,
    pub res_archive_title: &'static str,
    pub res_archive_hint: &'static str,
    pub res_archive: &'static str,
    pub res_archive_confirm: &'static str,
    pub res_archived_banner: &'static str,
    pub res_restore: &'static str,
    pub res_restored: &'static str,
    pub res_archived_list: &'static str,
    pub grid_title: &'static str,
    pub grid_hint: &'static str,
    pub grid_previous: &'static str,
    pub grid_next: &'static str,
    pub grid_closed: &'static str,
    pub grid_all_closed: &'static str,
    pub grid_time: &'static str,
    pub res_history: &'static str,
    pub nav_outlets: &'static str,
    pub nav_team: &'static str,
    pub page_account: &'static str,
    pub role_owner: &'static str,
    pub role_admin: &'static str,
    pub role_staff: &'static str,
    pub team_members: &'static str,
    pub team_name: &'static str,
    pub team_role: &'static str,
    pub team_joined: &'static str,
    pub team_you: &'static str,
    pub team_must_change: &'static str,
    pub team_save_role: &'static str,
    pub team_role_saved: &'static str,
    pub team_remove: &'static str,
    pub team_remove_confirm: &'static str,
    pub team_removed: &'static str,
    pub team_roles_hint: &'static str,
    pub team_invite_title: &'static str,
    pub team_invite_hint: &'static str,
    pub team_invite_note: &'static str,
    pub team_invite_create: &'static str,
    pub team_invite_made: &'static str,
    pub team_copy: &'static str,
    pub team_copied: &'static str,
    pub team_open_invites: &'static str,
    pub team_no_invites: &'static str,
    pub team_revoke: &'static str,
    pub team_revoked: &'static str,
    pub team_desk_hint: &'static str,
    pub acct_password: &'static str,
    pub acct_must_change: &'static str,
    pub acct_current: &'static str,
    pub acct_new: &'static str,
    pub acct_confirm: &'static str,
    pub acct_save: &'static str,
    pub acct_saved: &'static str,
    pub acct_continue: &'static str,
    pub invite_title: &'static str,
    pub invite_dead: &'static str,
    pub invite_your_name: &'static str,
    pub invite_join: &'static str,
    pub invite_err_taken: &'static str,
    pub invite_err_weak: &'static str,
    pub invite_err_mismatch: &'static str,
    pub invite_err_email: &'static str,
    pub invite_err_invalid: &'static str,
    pub out_hint: &'static str,
    pub out_name: &'static str,
    pub out_address: &'static str,
    pub out_zone: &'static str,
    pub out_phone: &'static str,
    pub out_map: &'static str,
    pub out_save: &'static str,
    pub out_saved: &'static str,
    pub out_add: &'static str,
    pub out_create: &'static str,
    pub out_created: &'static str,
    pub out_zone_hint: &'static str,
    pub out_manager_only: &'static str,
    pub nav_settings: &'static str,
    pub set_bot: &'static str,
    pub set_agent_on: &'static str,
    pub set_agent_off: &'static str,
    pub set_agent_unconfigured: &'static str,
    pub set_agent_switch_on: &'static str,
    pub set_agent_switch_off: &'static str,
    pub set_agent_saved: &'static str,
    pub set_instructions: &'static str,
    pub set_instructions_hint: &'static str,
    pub set_instructions_save: &'static str,
    pub set_quiet: &'static str,
    pub set_quiet_hint: &'static str,
    pub set_quiet_save: &'static str,
    pub set_whatsapp: &'static str,
    pub set_no_numbers: &'static str,
    pub set_number: &'static str,
    pub set_token: &'static str,
    pub set_state: &'static str,
    pub set_active: &'static str,
    pub set_paused: &'static str,
    pub set_last_in: &'static str,
    pub set_last_send: &'static str,
    pub set_never: &'static str,
    pub set_replace_token: &'static str,
    pub set_new_token: &'static str,
    pub set_token_saved: &'static str,
    pub set_no_key: &'static str,
    pub set_ai: &'static str,
    pub set_llm: &'static str,
    pub set_embeddings: &'static str,
    pub set_vectors: &'static str,
    pub set_not_configured: &'static str,
    pub set_full_text: &'static str,
    pub set_integrations: &'static str,
    pub set_api_keys_hint: &'static str,
    pub key_create_title: &'static str,
    pub key_name: &'static str,
    pub key_name_example: &'static str,
    pub key_create: &'static str,
    pub key_revoked: &'static str,
    pub key_none: &'static str,
    pub key_starts: &'static str,
    pub key_created_at: &'static str,
    pub key_status: &'static str,
    pub key_active: &'static str,
    pub key_revoked_state: &'static str,
    pub key_revoke: &'static str,
    pub key_send_as: &'static str,
    pub key_to: &'static str,
    pub key_made: fn(&str) -> String,
    pub set_phone_number_id: &'static str,
    pub set_in_database: &'static str,
    pub acct_name: &'static str,
    pub acct_name_save: &'static str,
    pub acct_name_saved: &'static str,
    pub sim_intro: &'static str,
    pub sim_number: &'static str,
    pub sim_placeholder: &'static str,
    pub sim_send: &'static str,
    pub sim_empty: &'static str,
    pub invite_offer_line: fn(&str, &str) -> String,
    pub invite_expires: fn(&str) -> String,
    // Payments and the booking page
    pub col_payment: &'static str,
    pub pay_unpaid: &'static str,
    pub pay_deposit: &'static str,
    pub pay_paid: &'static str,
    pub pay_cash: &'static str,
    pub pay_transfer: &'static str,
    pub pay_qris: &'static str,
    pub pay_state: &'static str,
    pub pay_amount: &'static str,
    pub pay_amount_hint: &'static str,
    pub pay_method: &'static str,
    pub pay_choose: &'static str,
    pub pay_note: &'static str,
    pub pay_save: &'static str,
    pub pay_saved: &'static str,
    pub pay_history: &'static str,
    pub pay_none: &'static str,
    pub pay_of: fn(&str, &str) -> String,
    pub customer_total_paid: &'static str,
    pub bk_title: fn(i64) -> String,
    pub bk_all: &'static str,
    pub bk_history: &'static str,
    pub set_payments_title: &'static str,
    pub set_payment_instructions: &'static str,
    pub set_payment_instructions_hint: &'static str,
    pub set_payment_instructions_save: &'static str,
    pub set_payment_instructions_saved: &'static str,
    // Overview and analytics
    pub nav_analytics: &'static str,
    pub an_from: &'static str,
    pub an_to: &'static str,
    pub an_apply: &'static str,
    pub an_this_week: &'static str,
    pub an_last_7: &'static str,
    pub an_last_28: &'static str,
    pub an_last_90: &'static str,
    pub an_occupancy: &'static str,
    pub an_booked: &'static str,
    pub an_collected: &'static str,
    pub an_bookings: &'static str,
    pub an_heat_title: &'static str,
    pub an_heat_hint: &'static str,
    pub an_closed: &'static str,
    pub an_revenue_day: &'static str,
    pub an_revenue_resource: &'static str,
    pub an_channels: &'static str,
    pub an_bot_share: &'static str,
    pub an_bot_share_line: fn(i64, i64) -> String,
    pub an_no_conversations: &'static str,
    pub an_show_table: &'static str,
    pub an_col_day: &'static str,
    pub an_empty: &'static str,
    pub ov_arrived: &'static str,
    pub ov_of: fn(i64, i64) -> String,
    pub ov_occupancy_today: &'static str,
    pub ov_occupancy_week: &'static str,
    pub ov_week_booked: &'static str,
    pub ov_week_collected: &'static str,
    pub ov_see_analytics: &'static str,
    // Knowledge
    pub nav_knowledge: &'static str,
    pub kb_intro: &'static str,
    pub kb_upload_title: &'static str,
    pub kb_file: &'static str,
    pub kb_file_hint: fn(u64) -> String,
    pub kb_upload: &'static str,
    pub kb_uploading: fn(u32) -> String,
    pub kb_uploaded: &'static str,
    pub kb_pick_file: &'static str,
    pub kb_too_big: fn(u64) -> String,
    pub kb_unreachable: &'static str,
    pub kb_faq_title: &'static str,
    pub kb_question: &'static str,
    pub kb_answer: &'static str,
    pub kb_faq_add: &'static str,
    pub kb_faq_added: &'static str,
    pub kb_documents: &'static str,
    pub kb_none: &'static str,
    pub kb_col_name: &'static str,
    pub kb_col_type: &'static str,
    pub kb_col_size: &'static str,
    pub kb_col_state: &'static str,
    pub kb_col_passages: &'static str,
    pub kb_col_updated: &'static str,
    pub kb_state: fn(&str) -> &'static str,
    pub kb_reindex: &'static str,
    pub kb_delete: &'static str,
    pub kb_delete_confirm: &'static str,
    pub kb_deleted: &'static str,
    pub kb_reindexed: &'static str,
    pub kb_whole_venue: &'static str,
    pub kb_try_title: &'static str,
    pub kb_try_hint: &'static str,
    pub kb_try: &'static str,
    pub kb_try_none: &'static str,
    pub kb_source: &'static str,
    pub kb_read_only: &'static str,
    pub set_venue_lang: &'static str,
    pub set_venue_lang_hint: &'static str,
    pub set_venue_lang_save: &'static str,
    pub kb_unsupported: &'static str,
    pub kb_empty: &'static str,
    pub kb_busy: &'static str,
    pub kb_upload_failed: &'static str,
    pub pay_total: fn(&str) -> String,
    pub kb_full_text_only: &'static str,
    // Resources and kinds
    pub res_add_title: &'static str,
    pub res_outlet: &'static str,
    pub res_name_example: &'static str,
    pub res_create: &'static str,
    pub res_created: &'static str,
    pub res_none: &'static str,
    pub res_col_rate: &'static str,
    pub res_col_monday: &'static str,
    pub res_closed: &'static str,
    pub res_hours_legend: &'static str,
    pub res_hours_title: &'static str,
    pub res_hours_save: &'static str,
    pub res_hours_saved: &'static str,
    pub res_all: &'static str,
    pub res_booking_length: &'static str,
    pub res_length_line: fn(i64, i64, i64) -> String,
    pub res_rate_line: fn(&str) -> String,
    pub kinds_title: &'static str,
    pub kinds_hint: &'static str,
    pub kinds_none: &'static str,
    pub kinds_name_en: &'static str,
    pub kinds_name_id: &'static str,
    pub kinds_words: &'static str,
    pub kinds_add: &'static str,
    pub kinds_saved: &'static str,
    pub kinds_edit: &'static str,
    pub kinds_save: &'static str,
    pub kinds_deleted: &'static str,
    pub kinds_col_words: &'static str,
    pub kinds_col_used: &'static str,
    pub kinds_in_use: &'static str,
    pub kinds_built_in: &'static str,
    pub kinds_own: &'static str,
    /// A refusal's text by its code, where this language has its own
    /// (`None`: the server's English message stands).
    pub refusal: fn(&str) -> Option<&'static str>,
    // Booking window, pricing rules and blackouts of a resource
    pub rr_window_title: &'static str,
    pub rr_window_hint: &'static str,
    pub rr_window_saved: &'static str,
    pub rr_buffer: &'static str,
    pub rr_lead: &'static str,
    pub rr_horizon: &'static str,
    pub rr_cutoff: &'static str,
    pub rr_window_save: &'static str,
    pub rr_pricing_title: &'static str,
    pub rr_pricing_hint: &'static str,
    pub rr_no_rules: &'static str,
    pub rr_col_rule: &'static str,
    pub rr_col_when_price: &'static str,
    pub rr_priority: &'static str,
    pub rr_rule_deleted: &'static str,
    pub rr_add_rule_title: &'static str,
    pub rr_rule_added: &'static str,
    pub rr_rule_name_example: &'static str,
    pub rr_weekdays: &'static str,
    pub rr_dates: &'static str,
    pub rr_dates_placeholder: &'static str,
    pub rr_from: &'static str,
    pub rr_until: &'static str,
    pub rr_multiplier: &'static str,
    pub rr_fixed: &'static str,
    pub rr_value: &'static str,
    pub rr_value_placeholder: &'static str,
    pub rr_add_rule: &'static str,
    pub rr_blackout_added: &'static str,
    pub rr_blackout_conflicts: fn(usize) -> String,
    pub rr_blackouts_title: &'static str,
    pub rr_blackouts_hint: &'static str,
    pub rr_no_blackouts: &'static str,
    pub rr_col_when: &'static str,
    pub rr_col_closes: &'static str,
    pub rr_lift: &'static str,
    pub rr_blackout_lifted: &'static str,
    pub rr_add_blackout_title: &'static str,
    pub rr_blackout_from: &'static str,
    pub rr_blackout_reason_example: &'static str,
    pub rr_whole_outlet: &'static str,
    pub rr_add_blackout: &'static str,
    // History
    pub hist_created: fn(&str) -> String,
    pub hist_edited: fn(&str) -> String,
    pub actor_staff: fn(i64) -> String,
    pub actor_customer: fn(&str) -> String,
    pub actor_api: fn(i64) -> String,
    pub actor_system: &'static str,
    // Not found
    pub nf_title: &'static str,
    pub nf_body: &'static str,
    pub nf_back: &'static str,
}

impl Texts {
    /// A share in per mille as a percentage ("72%"); "—" for none.
    pub fn percent(&self, permille: Option<u16>) -> String {
        permille.map_or_else(|| "—".to_string(), |p| format!("{}%", (p + 5) / 10))
    }

    /// A payment state as staff read it.
    pub fn payment_state(&self, state: domain::PaymentState) -> &'static str {
        match state {
            domain::PaymentState::Unpaid => self.pay_unpaid,
            domain::PaymentState::Deposit => self.pay_deposit,
            domain::PaymentState::Paid => self.pay_paid,
        }
    }

    /// A payment method as staff read it.
    pub fn payment_method(&self, method: domain::PaymentMethod) -> &'static str {
        match method {
            domain::PaymentMethod::Cash => self.pay_cash,
            domain::PaymentMethod::Transfer => self.pay_transfer,
            domain::PaymentMethod::Qris => self.pay_qris,
        }
    }

    /// A role as staff read it.
    pub fn role(&self, role: domain::Role) -> &'static str {
        match role {
            domain::Role::Owner => self.role_owner,
            domain::Role::Admin => self.role_admin,
            domain::Role::Staff => self.role_staff,
        }
    }
}
