//! The venue's settings: the bot (AI agent switch, its instructions, when a
//! conversation goes back to the bot), the WhatsApp numbers (what each last
//! did; a new access token pasted in, sealed, never shown again), the AI
//! services this server uses, the payment instructions the bot sends, and
//! the API keys. Owners and admins only.

use crate::api::{
    get_settings, ReplaceWhatsappToken, SetAgentEnabled, SetAgentInstructions,
    SetPaymentInstructions, SetVenueLanguage, UpdateHandoffQuietPeriod,
};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::dto::{NumberStatusDto, SettingsDto};
use crate::i18n::use_locale;
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct SettingsActions {
    enabled: ServerAction<SetAgentEnabled>,
    instructions: FormAction<SetAgentInstructions>,
    quiet: FormAction<UpdateHandoffQuietPeriod>,
    token: FormAction<ReplaceWhatsappToken>,
    payments: FormAction<SetPaymentInstructions>,
    venue_lang: FormAction<SetVenueLanguage>,
}

#[component]
pub fn SettingsPage() -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let actions = SettingsActions {
        enabled: ServerAction::new(),
        instructions: FormAction::new(),
        quiet: FormAction::new(),
        token: FormAction::new(),
        payments: FormAction::new(),
        venue_lang: FormAction::new(),
    };
    let settings = crate::fetch::load(
        move || {
            actions.enabled.version().get()
                + actions.quiet.version().get()
                + actions.token.version().get()
        },
        |_| get_settings(),
    );
    view! {
        <Layout title=|t| t.nav_settings>
            {move || action_outcome(actions.token.value(), t().set_token_saved)()}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <Sections settings actions/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
        </Layout>
    }
    .erase()
}

#[component]
fn Sections(settings: SettingsDto, actions: SettingsActions) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let configured = settings.llm_model.is_some();
    let enabled = settings.agent.enabled;
    let switch = actions.enabled;
    let vector_store = settings.vector_store.clone();
    let slug = settings.tenant_slug.clone();
    let not_configured = move || t().set_not_configured;
    view! {
        <section class="card" id="bot">
            <h2>{locale.text(|t| t.set_bot)}</h2>
            {move || action_outcome(switch.value(), t().set_agent_saved)()}
            <p data-testid="agent-state">
                {move || {
                    if !configured {
                        t().set_agent_unconfigured
                    } else if enabled {
                        t().set_agent_on
                    } else {
                        t().set_agent_off
                    }
                }}
            </p>
            // Without an LLM the switch changes nothing a customer sees.
            {configured
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button"
                            on:click=move |_| {
                                switch.dispatch(SetAgentEnabled { enabled: !enabled });
                            }
                        >
                            {move || if enabled { t().set_agent_switch_off } else { t().set_agent_switch_on }}
                        </button>
                    }
                })}
            <ActionForm action=actions.instructions attr:class="form-stack">
                <label>
                    {locale.text(|t| t.set_instructions)}
                    <textarea name="instructions" rows="5" maxlength="4000">{settings.agent.instructions.clone()}</textarea>
                </label>
                <p class="hint">{locale.text(|t| t.set_instructions_hint)}</p>
                {(!configured || !enabled)
                    .then(|| {
                        view! {
                            <p class="hint" data-testid="instructions-unused">
                                {locale.text(|t| t.set_instructions_unused)}
                            </p>
                        }
                    })}
                {move || action_outcome(actions.instructions.value(), t().set_agent_saved)()}
                <button type="submit" class="button primary">{locale.text(|t| t.set_instructions_save)}</button>
            </ActionForm>
            <ActionForm action=actions.venue_lang attr:class="form-grid">
                <label>
                    {locale.text(|t| t.set_venue_lang)}
                    <select name="lang">
                        <option value="en" selected=settings.venue_lang == "en">"English"</option>
                        <option value="id" selected=settings.venue_lang == "id">"Bahasa Indonesia"</option>
                    </select>
                </label>
                <p class="hint wide">{locale.text(|t| t.set_venue_lang_hint)}</p>
                {move || action_outcome(actions.venue_lang.value(), t().set_agent_saved)()}
                <button type="submit" class="button">{locale.text(|t| t.set_venue_lang_save)}</button>
            </ActionForm>
            <ActionForm action=actions.quiet attr:class="form-grid">
                <label>
                    {locale.text(|t| t.set_quiet)}
                    <input type="number" name="minutes" min="1" max="43200" required value=settings.quiet_minutes/>
                </label>
                <p class="hint wide">{locale.text(|t| t.set_quiet_hint)}</p>
                {move || action_outcome(actions.quiet.value(), t().set_agent_saved)()}
                <button type="submit" class="button">{locale.text(|t| t.set_quiet_save)}</button>
            </ActionForm>
        </section>
        <section class="card" id="payments">
            <h2>{locale.text(|t| t.set_payments_title)}</h2>
            <ActionForm action=actions.payments attr:class="form-stack">
                <label>
                    {locale.text(|t| t.set_payment_instructions)}
                    <textarea name="text" rows="4" maxlength="1000">{settings.payment_instructions.clone()}</textarea>
                </label>
                <label>
                    {locale.text(|t| t.set_payment_instructions_id)}
                    <textarea name="text_id" rows="4" maxlength="1000" lang="id">{settings.payment_instructions_id.clone()}</textarea>
                </label>
                <p class="hint">{locale.text(|t| t.set_payment_instructions_hint)}</p>
                {move || action_outcome(actions.payments.value(), t().set_payment_instructions_saved)()}
                <button type="submit" class="button primary">{locale.text(|t| t.set_payment_instructions_save)}</button>
            </ActionForm>
        </section>
        <section class="card" id="whatsapp">
            <h2>{locale.text(|t| t.set_whatsapp)}</h2>
            {if settings.numbers.is_empty() {
                view! {
                    <p class="empty">{locale.text(|t| t.set_no_numbers)}</p>
                    <pre class="command">
                        {format!(
                            "PESAN_WHATSAPP_ACCESS_TOKEN=<token> pesan whatsapp connect --tenant {slug} \\\n    --phone-number-id <id> --waba-id <account id> --display-phone \"+62 …\"",
                        )}
                    </pre>
                }
                    .erase()
            } else {
                let can_replace = settings.can_replace_token;
                settings
                    .numbers
                    .into_iter()
                    .map(|number| view! { <NumberCard number can_replace token=actions.token/> })
                    .collect_view()
                    .erase()
            }}
        </section>
        <section class="card" id="ai">
            <h2>{locale.text(|t| t.set_ai)}</h2>
            <dl class="facts">
                <dt>{locale.text(|t| t.set_llm)}</dt>
                <dd data-testid="llm-model">
                    {match settings.llm_model {
                        Some(model) => view! { <code>{model}</code> }.erase(),
                        None => view! { <span>{not_configured}</span> }.erase(),
                    }}
                </dd>
                <dt>{locale.text(|t| t.set_embeddings)}</dt>
                <dd>
                    {match settings.embed_model {
                        Some(model) => view! { <code>{model}</code> }.erase(),
                        None => view! { <span>{locale.text(|t| t.set_full_text)}</span> }.erase(),
                    }}
                </dd>
                <dt>{locale.text(|t| t.set_vectors)}</dt>
                <dd>
                    {move || {
                        if vector_store == "database" {
                            t().set_in_database.to_string()
                        } else {
                            vector_store.clone()
                        }
                    }}
                </dd>
            </dl>
        </section>
        <section class="card" id="integrations">
            <h2>{locale.text(|t| t.set_integrations)}</h2>
            <p class="hint">{locale.text(|t| t.set_api_keys_hint)}</p>
            <a class="button" href="/settings/api-keys">{locale.text(|t| t.nav_api_keys)}</a>
        </section>
    }
    .erase()
}

#[component]
fn NumberCard(
    number: NumberStatusDto,
    can_replace: bool,
    token: FormAction<ReplaceWhatsappToken>,
) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let never = move || t().set_never;
    let shown = number
        .display_phone
        .clone()
        .unwrap_or_else(|| number.phone_number_id.clone());
    let paused = number.paused_reason.clone();
    let send = match (number.last_send_state.clone(), number.last_send_at.clone()) {
        (Some(state), Some(at)) => Some(match number.last_send_error.clone() {
            Some(error) => format!("{state} · {at} · {error}"),
            None => format!("{state} · {at}"),
        }),
        _ => None,
    };
    let id = number.id;
    view! {
        <div class="number" data-testid="whatsapp-number">
            <h3>{shown}</h3>
            <dl class="facts">
                <dt>{locale.text(|t| t.set_phone_number_id)}</dt>
                <dd><code>{number.phone_number_id.clone()}</code></dd>
                <dt>{locale.text(|t| t.set_token)}</dt>
                <dd><code>{number.token_hint.clone()}</code></dd>
                <dt>{locale.text(|t| t.set_state)}</dt>
                <dd>
                    {match paused {
                        Some(reason) => {
                            view! {
                                <span class="error-text">{locale.text(|t| t.set_paused)}": "{reason.clone()}</span>
                            }
                                .erase()
                        }
                        None => view! { <span>{locale.text(|t| t.set_active)}</span> }.erase(),
                    }}
                </dd>
                <dt>{locale.text(|t| t.set_last_in)}</dt>
                <dd>
                    {match number.last_inbound.clone() {
                        Some(at) => view! { <span>{at}</span> }.erase(),
                        None => view! { <span>{never}</span> }.erase(),
                    }}
                </dd>
                <dt>{locale.text(|t| t.set_last_send)}</dt>
                <dd>
                    {match send {
                        Some(text) => view! { <span>{text}</span> }.erase(),
                        None => view! { <span>{never}</span> }.erase(),
                    }}
                </dd>
            </dl>
            {if can_replace {
                view! {
                    <ActionForm action=token attr:class="form-grid">
                        <input type="hidden" name="number_id" value=id/>
                        <label>
                            {locale.text(|t| t.set_new_token)}
                            <input type="password" name="token" autocomplete="off" required minlength="16" maxlength="4096"/>
                        </label>
                        <button type="submit" class="button">{locale.text(|t| t.set_replace_token)}</button>
                    </ActionForm>
                }
                    .erase()
            } else {
                view! { <p class="hint">{locale.text(|t| t.set_no_key)}</p> }.erase()
            }}
        </div>
    }
    .erase()
}
