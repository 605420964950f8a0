//! Outlets: each one's name, address, time zone, contact number and map
//! link (what the bot answers "where are you?" with), and a new outlet.

use crate::api::{list_outlets, me, CreateOutlet, UpdateOutlet};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::dto::OutletDto;
use crate::i18n::use_locale;
use domain::Role;
use leptos::prelude::*;

/// Zones offered in the form: Indonesia's three, then the region's. An
/// outlet saved with another zone (through the CLI) keeps it as an option.
const ZONES: [&str; 10] = [
    "Asia/Jakarta",
    "Asia/Pontianak",
    "Asia/Makassar",
    "Asia/Jayapura",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Asia/Manila",
    "Australia/Perth",
];

#[component]
pub fn OutletsPage() -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let create = FormAction::<CreateOutlet>::new();
    let update = FormAction::<UpdateOutlet>::new();
    let outlets = crate::fetch::load(
        move || (create.version().get(), update.version().get()),
        |_| list_outlets(),
    );
    let who = crate::fetch::load(|| (), |_| me());
    view! {
        <Layout title=|t| t.nav_outlets>
            <p class="hint">{locale.text(|t| t.out_hint)}</p>
            {move || action_outcome(update.value(), t().out_saved)()}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let manager = matches!(
                        who.await.ok().flatten().map(|s| s.role),
                        Some(Role::Owner | Role::Admin)
                    );
                    match outlets.await {
                        Ok(list) => {
                            view! {
                                {(!manager).then(|| view! { <p class="hint">{locale.text(|t| t.out_manager_only)}</p> })}
                                {list
                                    .into_iter()
                                    .map(|outlet| view! { <OutletCard outlet update manager/> })
                                    .collect_view()}
                                {manager.then(|| view! { <NewOutlet create/> })}
                            }
                                .erase()
                        }
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
        </Layout>
    }
    .erase()
}

/// The fields shared by the edit and the new-outlet forms.
#[component]
fn OutletFields(outlet: Option<OutletDto>, disabled: bool) -> AnyView {
    let locale = use_locale();
    let field =
        |get: fn(&OutletDto) -> &String| outlet.as_ref().map(get).cloned().unwrap_or_default();
    let zone = outlet
        .as_ref()
        .map_or_else(|| "Asia/Jakarta".to_string(), |o| o.timezone.clone());
    let mut zones: Vec<String> = ZONES.iter().map(ToString::to_string).collect();
    if !zones.contains(&zone) {
        zones.insert(0, zone.clone());
    }
    view! {
        <label>
            {locale.text(|t| t.out_name)}
            <input type="text" name="name" required maxlength="80" value=field(|o| &o.name) disabled=disabled/>
        </label>
        <label class="wide">
            {locale.text(|t| t.out_address)}
            <textarea name="address" rows="2" maxlength="300" disabled=disabled>{field(|o| &o.address)}</textarea>
        </label>
        <label>
            {locale.text(|t| t.out_zone)}
            <select name="timezone" disabled=disabled>
                {zones
                    .into_iter()
                    .map(|z| {
                        let selected = z == zone;
                        view! { <option value=z.clone() selected=selected>{z.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
        <label>
            {locale.text(|t| t.out_phone)}
            <input type="tel" name="contact_phone" maxlength="30" placeholder="0812…" value=field(|o| &o.contact_phone) disabled=disabled/>
        </label>
        <label class="wide">
            {locale.text(|t| t.out_map)}
            <input type="url" name="map_url" maxlength="500" placeholder="https://" value=field(|o| &o.map_url) disabled=disabled/>
        </label>
    }
    .erase()
}

#[component]
fn OutletCard(outlet: OutletDto, update: FormAction<UpdateOutlet>, manager: bool) -> AnyView {
    let locale = use_locale();
    let id = outlet.id;
    let name = outlet.name.clone();
    view! {
        <section class="card" data-testid="outlet">
            <h2>{name}</h2>
            <ActionForm action=update attr:class="form-grid">
                <input type="hidden" name="outlet_id" value=id.to_string()/>
                <OutletFields outlet=Some(outlet) disabled=!manager/>
                <p class="hint wide">{locale.text(|t| t.out_zone_hint)}</p>
                {manager.then(|| view! { <button type="submit" class="button primary">{locale.text(|t| t.out_save)}</button> })}
            </ActionForm>
        </section>
    }
    .erase()
}

#[component]
fn NewOutlet(create: FormAction<CreateOutlet>) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    view! {
        <section class="card" id="new-outlet">
            <h2>{locale.text(|t| t.out_add)}</h2>
            {move || action_outcome(create.value(), t().out_created)()}
            <ActionForm action=create attr:class="form-grid">
                <OutletFields outlet=None disabled=false/>
                <button type="submit" class="button primary">{locale.text(|t| t.out_create)}</button>
            </ActionForm>
        </section>
    }
    .erase()
}
