//! The venue's own kinds of space (padel, mini soccer): the resources
//! page's section that defines them with the words customers use, and the
//! kind list every resource form offers.

use crate::api::{get_resource_kinds, DeleteResourceKind, SaveResourceKind};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Loading};
use crate::dto::KindDto;
use crate::i18n::{use_locale, Lang};
use domain::ResourceKind;
use leptos::prelude::*;

/// A kind as staff read it, capitalised ("Lapangan futsal", "Padel").
pub fn kind_label(kind: &ResourceKind, lang: Lang) -> String {
    capitalised(kind.label(lang == Lang::Id))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A venue kind's name in the interface's language.
fn name_of(kind: &KindDto, lang: Lang) -> String {
    match lang {
        Lang::Id => kind.name_id.clone(),
        Lang::En => kind.name_en.clone(),
    }
}

/// The `kind` select of a resource form: the built-in kinds, then the
/// venue's own. The resource's current kind is drawn at once (its names
/// came with the resource), so the form never shows another kind selected
/// while the venue's list loads.
#[component]
pub fn KindSelect(
    #[prop(optional)] selected: Option<ResourceKind>,
    /// Changes when the venue's kinds change on this page, so a kind just
    /// added is offered without a reload.
    #[prop(optional)]
    actions: Option<KindActions>,
) -> impl IntoView {
    let locale = use_locale();
    let kinds = crate::fetch::load(
        move || actions.map(|a| a.changes()),
        |_| get_resource_kinds(),
    );
    let current = selected
        .clone()
        .filter(|k| matches!(k, ResourceKind::Custom(_)));
    let current_key = current.as_ref().map(|k| k.as_str().to_string());
    view! {
        <select name="kind">
            {ResourceKind::ALL
                .iter()
                .map(|k| {
                    let chosen = selected.as_ref() == Some(k);
                    let value = k.as_str().to_string();
                    let k = k.clone();
                    view! {
                        <option value=value selected=chosen>
                            {move || kind_label(&k, locale.lang())}
                        </option>
                    }
                })
                .collect_view()}
            {current
                .map(|k| {
                    let value = k.as_str().to_string();
                    view! {
                        <option value=value selected=true>
                            {move || kind_label(&k, locale.lang())}
                        </option>
                    }
                })}
            <Suspense fallback=|| ()>
                {move || {
                    let current_key = current_key.clone();
                    Suspend::new(async move {
                        kinds
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|k| Some(&k.key) != current_key.as_ref())
                            .map(|k| {
                                let value = k.key.clone();
                                view! {
                                    <option value=value>
                                        {move || name_of(&k, locale.lang())}
                                    </option>
                                }
                            })
                            .collect_view()
                    })
                }}
            </Suspense>
        </select>
    }
}

/// The page's kind actions, made once so the section that changes kinds and
/// the forms that list them read the same versions.
#[derive(Clone, Copy)]
pub struct KindActions {
    save: FormAction<SaveResourceKind>,
    delete: ServerAction<DeleteResourceKind>,
}

impl KindActions {
    pub fn new() -> Self {
        KindActions {
            save: FormAction::new(),
            delete: ServerAction::new(),
        }
    }

    /// Changes with every saved or deleted kind.
    pub fn changes(&self) -> usize {
        self.save.version().get() + self.delete.version().get()
    }
}

impl Default for KindActions {
    fn default() -> Self {
        Self::new()
    }
}

/// "Kinds of your own": the list with each kind's words, an edit form per
/// kind, a two-step delete for kinds no resource is of, and the add form.
#[component]
pub fn KindsSection(
    actions: KindActions,
    /// Changes when a resource is made on this page: the kinds' use
    /// counts (and so which may be deleted) follow.
    #[prop(into)]
    resources_changed: Signal<usize>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move || locale.t();
    let KindActions { save, delete } = actions;
    let kinds = crate::fetch::load(
        move || (actions.changes(), resources_changed.get()),
        |_| get_resource_kinds(),
    );
    // Which form was sent last ("" for the add form, `None` for a
    // delete): its outcome shows under it, where the eye is, not at the
    // top of a long list.
    let from = RwSignal::new(None::<String>);
    view! {
        <section class="card" id="kinds">
            <h2>{locale.text(|t| t.kinds_title)}</h2>
            <p class="muted">{locale.text(|t| t.kinds_hint)}</p>
            // Only while a delete was the last thing sent: an older
            // "deleted" does not stand beside a later save's outcome.
            {move || from.with(Option::is_none).then(|| action_outcome(delete.value(), t().kinds_deleted)()).flatten()}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match kinds.await {
                        Ok(list) => view! { <KindList kinds=list save delete from/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
            <div on:submit=move |_| from.set(Some(String::new()))>
                <ActionForm action=save reset_on_save=true attr:class="form-grid" attr:data-testid="kind-add">
                    <KindFields kind=None/>
                    <button type="submit" class="button primary">{locale.text(|t| t.kinds_add)}</button>
                </ActionForm>
            </div>
            <SaveOutcome key=String::new() from save/>
        </section>
    }
}

/// The name and word fields, prefilled when editing `kind`.
#[component]
fn KindFields(kind: Option<KindDto>) -> impl IntoView {
    let locale = use_locale();
    let key = kind.as_ref().map(|k| k.key.clone()).unwrap_or_default();
    let name_en = kind.as_ref().map(|k| k.name_en.clone()).unwrap_or_default();
    let name_id = kind.as_ref().map(|k| k.name_id.clone()).unwrap_or_default();
    let words = kind.map(|k| k.words.join("\n")).unwrap_or_default();
    view! {
        <input type="hidden" name="key" value=key/>
        <label>
            {locale.text(|t| t.kinds_name_en)}
            <input type="text" name="name_en" required maxlength="40" value=name_en placeholder="Padel"/>
        </label>
        <label>
            {locale.text(|t| t.kinds_name_id)}
            <input type="text" name="name_id" maxlength="40" value=name_id placeholder="Lapangan padel"/>
        </label>
        <label class="wide">
            {locale.text(|t| t.kinds_words)}
            <textarea name="words" rows="3" maxlength="2000" placeholder="padel\npadle">
                {words}
            </textarea>
        </label>
    }
}

#[component]
fn KindList(
    kinds: Vec<KindDto>,
    save: FormAction<SaveResourceKind>,
    delete: ServerAction<DeleteResourceKind>,
    from: RwSignal<Option<String>>,
) -> AnyView {
    let locale = use_locale();
    if kinds.is_empty() {
        return view! { <p class="empty">{locale.text(|t| t.kinds_none)}</p> }.erase();
    }
    let confirming = RwSignal::new(None::<String>);
    // Keyed by everything shown: a row is kept only while its kind reads
    // the same, so an edit form never keeps another kind's fields (a list
    // rebuilt in place reused rows by position, textarea and all).
    view! {
        <ul class="kind-list" data-testid="kinds">
            <For
                each=move || kinds.clone()
                key=|k| (k.key.clone(), k.name_en.clone(), k.name_id.clone(), k.words.clone(), k.resources)
                children=move |kind| view! { <KindRow kind save delete from confirming/> }
            />
        </ul>
    }
    .erase()
}

/// One kind in the list: names, words, use count, its edit form, delete.
#[component]
fn KindRow(
    kind: KindDto,
    save: FormAction<SaveResourceKind>,
    delete: ServerAction<DeleteResourceKind>,
    from: RwSignal<Option<String>>,
    confirming: RwSignal<Option<String>>,
) -> impl IntoView {
    let locale = use_locale();
    let key = kind.key.clone();
    let shown = kind.clone();
    let in_use = kind.resources > 0;
    let words = kind.words.join(", ");
    view! {
        <li data-kind=key.clone()>
            <div class="kind-head">
                <strong>{move || name_of(&shown, locale.lang())}</strong>
                <span class="muted small">{format!("{} / {}", kind.name_en, kind.name_id)}</span>
                <span class="muted small">{locale.text(|t| t.kinds_col_used)} ": " {kind.resources}</span>
            </div>
            <div class="small">{locale.text(|t| t.kinds_col_words)} ": " {words.clone()}</div>
            <details on:submit={
                let key = key.clone();
                move |_| from.set(Some(key.clone()))
            }>
                <summary>{locale.text(|t| t.kinds_edit)}</summary>
                <ActionForm action=save attr:class="form-grid">
                    <KindFields kind=Some(kind.clone())/>
                    <button type="submit" class="button primary">{locale.text(|t| t.kinds_save)}</button>
                </ActionForm>
            </details>
            // Outside the details: a saved kind's row is a new one, closed.
            <SaveOutcome key=key.clone() from save/>
            {if in_use {
                view! { <p class="muted small">{locale.text(|t| t.kinds_in_use)}</p> }.erase()
            } else {
                let key = key.clone();
                view! { <DeleteKind key confirming delete from/> }.erase()
            }}
        </li>
    }
}

/// The outcome of a save, shown under the form `key` names ("" for the add
/// form) when it was the one sent.
#[component]
fn SaveOutcome(
    key: String,
    from: RwSignal<Option<String>>,
    save: FormAction<SaveResourceKind>,
) -> impl IntoView {
    let locale = use_locale();
    move || {
        from.with(|sent| sent.as_deref() == Some(key.as_str()))
            .then(|| action_outcome(save.value(), locale.t().kinds_saved)())
            .flatten()
    }
}

/// Delete, then "Really delete" on a second click.
#[component]
fn DeleteKind(
    key: String,
    confirming: RwSignal<Option<String>>,
    delete: ServerAction<DeleteResourceKind>,
    from: RwSignal<Option<String>>,
) -> impl IntoView {
    let locale = use_locale();
    move || {
        let key = key.clone();
        if confirming.get().as_ref() == Some(&key) {
            view! {
                <button
                    type="button"
                    class="button small danger"
                    on:click=move |_| {
                        confirming.set(None);
                        from.set(None);
                        delete.dispatch(DeleteResourceKind { key: key.clone() });
                    }
                >
                    {locale.text(|t| t.kb_delete_confirm)}
                </button>
            }
            .erase()
        } else {
            view! {
                <button
                    type="button"
                    class="button small"
                    on:click=move |_| confirming.set(Some(key.clone()))
                >
                    {locale.text(|t| t.kb_delete)}
                </button>
            }
            .erase()
        }
    }
}
