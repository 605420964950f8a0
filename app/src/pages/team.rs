//! The team: who can sign in and with which role; invite links for new
//! members (made here, shown once, used once); role changes and removals.
//! Owners and admins manage; front desk sees who is on the team.

use crate::api::{get_team, CreateInvite, RemoveMember, RevokeInvite, SetMemberRole};
use crate::components::{action_outcome, ActionForm, Erase, ErrorBox, FormAction, Layout, Loading};
use crate::dto::{InviteDto, MemberDto, TeamDto};
use crate::i18n::use_locale;
use domain::calendar_words::day_label_with_year;
use domain::Role;
use leptos::prelude::*;

/// The page's actions, made above its `<Transition>` so a refetch after
/// one of them keeps its outcome on screen.
#[derive(Clone, Copy)]
struct TeamActions {
    invite: FormAction<CreateInvite>,
    revoke: ServerAction<RevokeInvite>,
    role: FormAction<SetMemberRole>,
    remove: ServerAction<RemoveMember>,
}

impl TeamActions {
    fn changes(&self) -> usize {
        self.invite.version().get()
            + self.revoke.version().get()
            + self.role.version().get()
            + self.remove.version().get()
    }
}

#[component]
pub fn TeamPage() -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let actions = TeamActions {
        invite: FormAction::new(),
        revoke: ServerAction::new(),
        role: FormAction::new(),
        remove: ServerAction::new(),
    };
    let team = crate::fetch::load(move || actions.changes(), |_| get_team());
    view! {
        <Layout title=|t| t.nav_team>
            {move || action_outcome(actions.role.value(), t().team_role_saved)()}
            {move || action_outcome(actions.remove.value(), t().team_removed)()}
            {move || action_outcome(actions.revoke.value(), t().team_revoked)()}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match team.await {
                        Ok(team) => view! { <Team team actions/> }.erase(),
                        Err(e) => view! { <ErrorBox error=e/> }.erase(),
                    }
                })}
            </Transition>
        </Layout>
    }
    .erase()
}

#[component]
fn Team(team: TeamDto, actions: TeamActions) -> AnyView {
    let locale = use_locale();
    let manager = matches!(team.my_role, Role::Owner | Role::Admin);
    let my_role = team.my_role;
    let me = team.me;
    let invites = team.invites;
    view! {
        <section class="card">
            <h2>{locale.text(|t| t.team_members)}</h2>
            <p class="hint">{locale.text(|t| t.team_roles_hint)}</p>
            <div class="table-wrap">
                <table class="table team" data-testid="team">
                    <thead>
                        <tr>
                            <th>{locale.text(|t| t.team_name)}</th>
                            <th>{locale.text(|t| t.email)}</th>
                            <th>{locale.text(|t| t.team_role)}</th>
                            <th>{locale.text(|t| t.team_joined)}</th>
                            {manager.then(|| view! { <th></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {team
                            .members
                            .into_iter()
                            .map(|member| view! { <MemberRow member me my_role manager actions/> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(!manager).then(|| view! { <p class="hint">{locale.text(|t| t.team_desk_hint)}</p> })}
        </section>
        {manager.then(|| view! { <InviteSection invites my_role actions/> })}
    }
    .erase()
}

/// The roles `acting` may hand out.
fn grantable(acting: Role) -> &'static [Role] {
    match acting {
        Role::Owner => &[Role::Owner, Role::Admin, Role::Staff],
        Role::Admin => &[Role::Admin, Role::Staff],
        Role::Staff => &[],
    }
}

#[component]
fn MemberRow(
    member: MemberDto,
    me: i64,
    my_role: Role,
    manager: bool,
    actions: TeamActions,
) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let is_me = member.id == me;
    // Only an owner changes an owner; nobody changes or removes themselves
    // here (their own page is the account page).
    let editable = manager && !is_me && (member.role != Role::Owner || my_role == Role::Owner);
    let role = member.role;
    let id = member.id;
    let joined = member.joined;
    let remove = actions.remove;
    view! {
        <tr data-testid="member">
            <td>
                {member.name.clone()}
                {is_me.then(|| view! { <span class="chip">{locale.text(|t| t.team_you)}</span> })}
                {member
                    .must_change_password
                    .then(|| view! { <span class="hint small">" · "{locale.text(|t| t.team_must_change)}</span> })}
            </td>
            <td>{member.email.clone()}</td>
            <td>
                {if editable {
                    view! {
                        <ActionForm action=actions.role attr:class="inline-form">
                            <input type="hidden" name="user_id" value=id/>
                            <label>
                                <span class="sr-only">{locale.text(|t| t.team_role)}</span>
                                <select name="role">
                                    {grantable(my_role)
                                        .iter()
                                        .map(|r| {
                                            let r = *r;
                                            view! {
                                                <option value=r.as_str() selected=r == role>
                                                    {move || t().role(r)}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            <button type="submit" class="button small">{locale.text(|t| t.team_save_role)}</button>
                        </ActionForm>
                    }
                        .erase()
                } else {
                    view! { <span>{move || t().role(role)}</span> }.erase()
                }}
            </td>
            <td>{move || day_label_with_year(locale.lang(), joined)}</td>
            {manager
                .then(|| {
                    view! {
                        <td>
                            {editable
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="button small danger"
                                            on:click=move |_| {
                                                let sure = window()
                                                    .confirm_with_message(t().team_remove_confirm)
                                                    .unwrap_or(false);
                                                if sure {
                                                    remove.dispatch(RemoveMember { user_id: id });
                                                }
                                            }
                                        >
                                            {locale.text(|t| t.team_remove)}
                                        </button>
                                    }
                                })}
                        </td>
                    }
                })}
        </tr>
    }
    .erase()
}

#[component]
fn InviteSection(invites: Vec<InviteDto>, my_role: Role, actions: TeamActions) -> AnyView {
    let locale = use_locale();
    let t = move || locale.t();
    let invite = actions.invite;
    let revoke = actions.revoke;
    let copied = RwSignal::new(false);
    let made = move || {
        invite.value().get().map(|result| match result {
            Ok(new) => {
                // Only ever set in the browser, after the action ran.
                let link = format!(
                    "{}{}",
                    window().location().origin().unwrap_or_default(),
                    new.path
                );
                let to_copy = link.clone();
                view! {
                    <div class="secret" role="status">
                        <p>{locale.text(|t| t.team_invite_made)}</p>
                        <code class="invite-link" data-testid="invite-link">{link}</code>
                        <button
                            type="button"
                            class="button small"
                            on:click=move |_| {
                                let _ = window().navigator().clipboard().write_text(&to_copy);
                                copied.set(true);
                            }
                        >
                            {move || if copied.get() { t().team_copied } else { t().team_copy }}
                        </button>
                    </div>
                }
                .erase()
            }
            Err(e) => view! { <ErrorBox error=e/> }.erase(),
        })
    };
    view! {
        <section class="card" id="invite">
            <h2>{locale.text(|t| t.team_invite_title)}</h2>
            <p class="hint">{locale.text(|t| t.team_invite_hint)}</p>
            {made}
            <ActionForm action=invite attr:class="form-grid" on:submit=move |_| copied.set(false)>
                <label>
                    {locale.text(|t| t.team_role)}
                    <select name="role">
                        {grantable(my_role)
                            .iter()
                            .map(|r| {
                                let r = *r;
                                view! {
                                    <option value=r.as_str() selected=r == Role::Staff>
                                        {move || t().role(r)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {locale.text(|t| t.team_invite_note)}
                    <input type="text" name="note" maxlength="80"/>
                </label>
                <button type="submit" class="button primary">{locale.text(|t| t.team_invite_create)}</button>
            </ActionForm>
            <h3>{locale.text(|t| t.team_open_invites)}</h3>
            {if invites.is_empty() {
                view! { <p class="empty">{locale.text(|t| t.team_no_invites)}</p> }.erase()
            } else {
                view! {
                    <ul class="invites" data-testid="open-invites">
                        {invites
                            .into_iter()
                            .map(|i| {
                                let id = i.id;
                                let expires = i.expires;
                                view! {
                                    <li>
                                        <span>{move || t().role(i.role)}</span>
                                        {(!i.note.is_empty()).then(|| view! { <span>" · "{i.note.clone()}</span> })}
                                        <span class="hint">
                                            " · "
                                            {move || (t().invite_expires)(&day_label_with_year(locale.lang(), expires))}
                                        </span>
                                        <button
                                            type="button"
                                            class="button small ghost"
                                            on:click=move |_| {
                                                revoke.dispatch(RevokeInvite { id });
                                            }
                                        >
                                            {locale.text(|t| t.team_revoke)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .erase()
            }}
        </section>
    }
    .erase()
}
