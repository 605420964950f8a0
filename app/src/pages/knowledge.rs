//! The knowledge base: upload documents (with the upload's progress), add
//! FAQ entries, watch each being indexed, re-index or delete them, and try
//! a question to see the passages the bot would answer from.

use crate::api::{get_knowledge, AddFaqEntry, DeleteDocument, ReindexDocument, TryQuestion};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::dto::{DocumentDto, KnowledgeDto, TryQuestionDto};
use crate::i18n::use_locale;
use crate::i18n::Texts;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// How often the list is read again while something is being indexed.
const POLL_MS: u64 = 1_500;

#[component]
pub fn KnowledgePage() -> AnyView {
    let refresh = RwSignal::new(0_u64);
    let faq = FormAction::<AddFaqEntry>::new();
    let reindex = ServerAction::<ReindexDocument>::new();
    let delete = ServerAction::<DeleteDocument>::new();
    let data = crate::fetch::load(
        move || {
            (
                refresh.get(),
                faq.version().get(),
                reindex.version().get(),
                delete.version().get(),
            )
        },
        |_| get_knowledge(),
    );
    // While a document is queued or being read, look again shortly.
    Effect::new(move |_| {
        let busy = data.get().and_then(Result::ok).is_some_and(|k| {
            k.documents
                .iter()
                .any(|d| !matches!(d.state.as_str(), "ready" | "failed"))
        });
        if busy {
            set_timeout(
                move || refresh.update(|n| *n += 1),
                std::time::Duration::from_millis(POLL_MS),
            );
        }
    });
    // The forms are drawn once, from a first read: the list below them is
    // read again while documents are indexed, which must not wipe what
    // someone is typing.
    let first = crate::fetch::load(|| (), |_| get_knowledge());
    let locale = use_locale();
    view! {
        <Layout title=|t| t.nav_knowledge>
            <p class="muted">{locale.text(|t| t.kb_intro)}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(k) => view! { <Forms k=k refresh=refresh faq=faq/> }.erase(),
                        Err(_) => ().erase(),
                    }
                })}
            </Suspense>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(k) => view! { <Documents k=k reindex=reindex delete=delete/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
            <TryQuestionCard/>
        </Layout>
    }
    .erase()
}

/// The upload and FAQ forms, for owners and admins.
#[component]
fn Forms(k: KnowledgeDto, refresh: RwSignal<u64>, faq: FormAction<AddFaqEntry>) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let editing = k.can_edit.then(|| {
        view! {
            <UploadCard max_bytes=k.max_file_bytes refresh=refresh/>
            <section class="card" id="faq">
                <h2>{locale.text(|t| t.kb_faq_title)}</h2>
                <ActionForm action=faq attr:class="form-stack">
                    <label>
                        {locale.text(|t| t.kb_question)}
                        <input type="text" name="question" required maxlength="500"/>
                    </label>
                    <label>
                        {locale.text(|t| t.kb_answer)}
                        <textarea name="answer" rows="3" required maxlength="4000"></textarea>
                    </label>
                    {move || action_outcome(faq.value(), t().kb_faq_added)()}
                    <button type="submit" class="button primary">{locale.text(|t| t.kb_faq_add)}</button>
                </ActionForm>
            </section>
        }
    });
    editing.erase()
}

/// The documents and FAQ entries with their indexing state.
#[component]
fn Documents(
    k: KnowledgeDto,
    reindex: ServerAction<ReindexDocument>,
    delete: ServerAction<DeleteDocument>,
) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let read_only =
        (!k.can_edit).then(|| view! { <p class="hint">{locale.text(|t| t.kb_read_only)}</p> });
    let full_text = (k.search_method == "full_text")
        .then(|| view! { <p class="hint" data-testid="full-text-only">{locale.text(|t| t.kb_full_text_only)}</p> });
    view! {
        <section class="card" id="documents">
            <h2>{locale.text(|t| t.kb_documents)}</h2>
            {read_only}
            {full_text}
            {move || action_outcome(reindex.value(), t().kb_reindexed)()}
            {move || action_outcome(delete.value(), t().kb_deleted)()}
            <DocumentTable documents=k.documents can_edit=k.can_edit reindex=reindex delete=delete/>
        </section>
    }
    .erase()
}

/// A file chosen and sent with `XMLHttpRequest`, whose upload events give
/// the progress bar; the server answers in the API's error shape.
#[component]
fn UploadCard(max_bytes: u64, refresh: RwSignal<u64>) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let mb = max_bytes.div_ceil(1024 * 1024);
    let progress = RwSignal::new(None::<u32>);
    // A plain form post (before the page's code loaded) comes back here
    // with its outcome in the query.
    let query = use_query_map();
    let arrived = query.with_untracked(|q| {
        if q.get("uploaded").is_some() {
            Some(Ok(locale.t().kb_uploaded))
        } else {
            q.get("upload_error")
                .map(|code| Err(upload_error(locale.t(), &code, "", mb)))
        }
    });
    let message = RwSignal::new(arrived);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        #[cfg(not(feature = "ssr"))]
        {
            let Some(file) = input
                .get()
                .and_then(|el| el.files())
                .and_then(|files| files.get(0))
            else {
                message.set(Some(Err(t().kb_pick_file.to_string())));
                return;
            };
            if file.size() > max_bytes as f64 {
                message.set(Some(Err((t().kb_too_big)(mb))));
                return;
            }
            let done = move |result: Result<(), (String, String)>| {
                progress.set(None);
                match result {
                    Ok(()) => {
                        message.set(Some(Ok(locale.t().kb_uploaded)));
                        if let Some(el) = input.get_untracked() {
                            el.set_value("");
                        }
                        refresh.update(|n| *n += 1);
                    }
                    Err((code, text)) => {
                        message.set(Some(Err(upload_error(locale.t(), &code, &text, mb))))
                    }
                }
            };
            progress.set(Some(0));
            if browser::send(file, progress, done).is_err() {
                progress.set(None);
                message.set(Some(Err(t().kb_unreachable.to_string())));
            }
        }
        #[cfg(feature = "ssr")]
        let _ = (input, refresh, max_bytes);
    };
    view! {
        <section class="card" id="upload">
            <h2>{locale.text(|t| t.kb_upload_title)}</h2>
            <form
                class="form-stack"
                method="post"
                enctype="multipart/form-data"
                action=crate::api::KNOWLEDGE_UPLOAD_PATH
                on:submit=on_submit
            >
                <label>
                    {locale.text(|t| t.kb_file)}
                    <input
                        type="file"
                        name="file"
                        node_ref=input
                        accept=".pdf,.docx,.xlsx,.csv,.txt,.md,.markdown"
                    />
                </label>
                <p class="hint">{move || (t().kb_file_hint)(mb)}</p>
                {move || {
                    progress
                        .get()
                        .map(|p| {
                            view! {
                                <div class="upload-progress" role="status" data-testid="upload-progress">
                                    <progress max="100" value=p></progress>
                                    <span>{move || (t().kb_uploading)(p)}</span>
                                </div>
                            }
                        })
                }}
                {move || {
                    message
                        .get()
                        .map(|m| match m {
                            Ok(text) => view! { <p class="notice" role="status">{text}</p> }.erase(),
                            Err(text) => view! { <div class="error" role="alert">{text}</div> }.erase(),
                        })
                }}
                <button type="submit" class="button primary" disabled=move || progress.get().is_some()>
                    {locale.text(|t| t.kb_upload)}
                </button>
            </form>
        </section>
    }
    .erase()
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{FormData, ProgressEvent, XmlHttpRequest};

    /// Posts `file` to the upload path, reporting progress in per cent and
    /// calling `done` once with the outcome (the server's message on a
    /// refusal).
    pub fn send(
        file: web_sys::File,
        progress: RwSignal<Option<u32>>,
        done: impl Fn(Result<(), (String, String)>) + 'static,
    ) -> Result<(), JsValue> {
        let form = FormData::new()?;
        form.append_with_blob_and_filename("file", &file, &file.name())?;
        let xhr = XmlHttpRequest::new()?;
        xhr.open("POST", crate::api::KNOWLEDGE_UPLOAD_PATH)?;
        xhr.set_request_header("Accept", "application/json")?;
        let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                let share = (event.loaded() / event.total() * 100.0).clamp(0.0, 100.0);
                progress.set(Some(share as u32));
            }
        });
        xhr.upload()?
            .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
        let done = std::rc::Rc::new(done);
        let finished = xhr.clone();
        let on_done = done.clone();
        let on_load = Closure::<dyn Fn()>::new(move || {
            let status = finished.status().unwrap_or(0);
            if (200..300).contains(&status) {
                on_done(Ok(()));
            } else {
                let body = finished.response_text().ok().flatten().unwrap_or_default();
                on_done(Err(refusal_of(&body)));
            }
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn Fn()>::new(move || {
            done(Err(("unreachable".to_string(), String::new())));
        });
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        xhr.send_with_opt_form_data(Some(&form))
    }

    /// The code and message of an error body (`{"error":{"code":…,
    /// "message":…}}`).
    fn refusal_of(body: &str) -> (String, String) {
        let error = js_sys::JSON::parse(body)
            .ok()
            .and_then(|v| js_sys::Reflect::get(&v, &"error".into()).ok());
        let field = |name: &str| {
            error
                .as_ref()
                .and_then(|e| js_sys::Reflect::get(e, &name.into()).ok())
                .and_then(|m| m.as_string())
                .unwrap_or_default()
        };
        (field("code"), field("message"))
    }
}

#[component]
fn DocumentTable(
    documents: Vec<DocumentDto>,
    can_edit: bool,
    reindex: ServerAction<ReindexDocument>,
    delete: ServerAction<DeleteDocument>,
) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    if documents.is_empty() {
        return view! { <p class="empty">{locale.text(|t| t.kb_none)}</p> }.erase();
    }
    let confirming = RwSignal::new(None::<i64>);
    view! {
        <div class="table-wrap">
            <table class="table documents" data-testid="documents">
                <thead>
                    <tr>
                        <th>{locale.text(|t| t.kb_col_name)}</th>
                        <th>{locale.text(|t| t.kb_col_type)}</th>
                        <th class="num">{locale.text(|t| t.kb_col_size)}</th>
                        <th>{locale.text(|t| t.kb_col_state)}</th>
                        <th class="num">{locale.text(|t| t.kb_col_passages)}</th>
                        <th>{locale.text(|t| t.kb_col_updated)}</th>
                        {can_edit.then(|| view! { <th>{locale.text(|t| t.col_actions)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {documents
                        .into_iter()
                        .map(|d| {
                            let id = d.id;
                            let state = d.state.clone();
                            let busy = !matches!(state.as_str(), "ready" | "failed");
                            let scope = d.outlet.clone();
                            let name = d.question.clone().unwrap_or_else(|| d.name.clone());
                            view! {
                                <tr data-document=id.to_string() data-state=d.state.clone()>
                                    <td>
                                        <strong>{name}</strong>
                                        {d.answer.clone().map(|a| view! { <div class="muted small">{a}</div> })}
                                        <div class="muted small">
                                            {move || scope.clone().unwrap_or_else(|| t().kb_whole_venue.to_string())}
                                        </div>
                                    </td>
                                    <td>{d.format.to_uppercase()}</td>
                                    <td class="num">{size_text(d.size)}</td>
                                    <td>
                                        <span class=format!("badge doc-{}", d.state)>{move || (t().kb_state)(&state)}</span>
                                        {busy.then(|| view! { <progress max="100" value=d.progress></progress> })}
                                        {d.error.clone().map(|e| view! { <div class="field-error">{e}</div> })}
                                    </td>
                                    <td class="num">{d.chunks}</td>
                                    <td>{d.updated.clone()}</td>
                                    {can_edit
                                        .then(|| {
                                            view! {
                                                <td class="actions compact">
                                                    <button
                                                        type="button"
                                                        class="button small"
                                                        on:click=move |_| {
                                                            reindex.dispatch(ReindexDocument { id });
                                                        }
                                                    >
                                                        {locale.text(|t| t.kb_reindex)}
                                                    </button>
                                                    {move || {
                                                        if confirming.get() == Some(id) {
                                                            view! {
                                                                <button
                                                                    type="button"
                                                                    class="button small danger"
                                                                    on:click=move |_| {
                                                                        confirming.set(None);
                                                                        delete.dispatch(DeleteDocument { id });
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
                                                                    on:click=move |_| confirming.set(Some(id))
                                                                >
                                                                    {locale.text(|t| t.kb_delete)}
                                                                </button>
                                                            }
                                                                .erase()
                                                        }
                                                    }}
                                                </td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .erase()
}

/// A refused upload in the interface's words, by the server's code; the
/// server's own message for a code the page does not know.
fn upload_error(t: &'static Texts, code: &str, message: &str, mb: u64) -> String {
    match code {
        "file_too_large" => (t.kb_too_big)(mb),
        "unsupported_file" => t.kb_unsupported.to_string(),
        "empty_file" => t.kb_empty.to_string(),
        "busy" => t.kb_busy.to_string(),
        "unreachable" => t.kb_unreachable.to_string(),
        "forbidden" => t.kb_read_only.to_string(),
        _ if !message.is_empty() => message.chars().take(300).collect(),
        _ => t.kb_upload_failed.to_string(),
    }
}

/// "12 KB", "1.4 MB"; FAQ entries have no file ("—").
fn size_text(bytes: i64) -> String {
    match bytes {
        b if b <= 0 => "—".to_string(),
        b if b < 1024 * 1024 => format!("{} KB", (b + 1023) / 1024),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A question tried against the knowledge base as the bot would search it.
#[component]
fn TryQuestionCard() -> AnyView {
    let locale = use_locale();
    let asked = FormAction::<TryQuestion>::new();
    let found = move || {
        asked.value().get().map(|result| match result {
            Ok(found) => view! { <Passages found=found/> }.erase(),
            Err(e) => view! { <ErrorBox error=e/> }.erase(),
        })
    };
    view! {
        <section class="card" id="try">
            <h2>{locale.text(|t| t.kb_try_title)}</h2>
            <p class="hint">{locale.text(|t| t.kb_try_hint)}</p>
            <ActionForm action=asked attr:class="form-grid">
                <label class="wide">
                    {locale.text(|t| t.kb_question)}
                    <input type="text" name="question" required maxlength="1000" autocomplete="off"/>
                </label>
                <button type="submit" class="button primary">{locale.text(|t| t.kb_try)}</button>
            </ActionForm>
            {found}
        </section>
    }
    .erase()
}

#[component]
fn Passages(found: TryQuestionDto) -> AnyView {
    let locale = use_locale();
    if found.passages.is_empty() {
        return view! { <p class="empty" data-testid="passages">{locale.text(|t| t.kb_try_none)}</p> }
            .erase();
    }
    view! {
        <ol class="passages" data-testid="passages">
            {found
                .passages
                .into_iter()
                .map(|p| {
                    view! {
                        <li>
                            {(!p.heading.is_empty()).then(|| view! { <strong>{p.heading.clone()}</strong> })}
                            <p>{p.text}</p>
                            <p class="muted small">{locale.text(|t| t.kb_source)} ": " {p.source.clone()}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .erase()
}
