//! Views that hydrate synchronously inside lazily loaded routes.
//!
//! Why: with split WASM, `hydrate_lazy` hydrates the whole tree through
//! `RenderHtml::hydrate_async`, and tachys gives every element and tuple
//! type its own async version of hydration besides the synchronous one.
//! Every `into_any()` also keeps a pointer to its type's async version.
//! Those state machines were a fifth of the dashboard's code (twiggy),
//! yet only a lazy route's boundary has anything to wait for: once the
//! route's chunk is loaded, its page can hydrate in one synchronous pass,
//! as every page of an unsplit app does.
//!
//! [`SyncHydrate`] passes everything through to the view it wraps but
//! keeps `RenderHtml::hydrate_async`'s default (which calls `hydrate`), so
//! the wrapped view's async code is never instantiated. [`Erase::erase`]
//! is `into_any()` through it.

use leptos::prelude::*;
use leptos::tachys::{
    html::attribute::{any_attribute::AnyAttribute, Attribute},
    hydration::Cursor,
    ssr::StreamBuilder,
    view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml},
};

/// A view hydrated by its synchronous path even when its parent hydrates
/// asynchronously.
pub struct SyncHydrate<T>(pub T);

impl<T: Render> Render for SyncHydrate<T> {
    type State = T::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<T: RenderHtml> RenderHtml for SyncHydrate<T> {
    type AsyncOutput = SyncHydrate<T::AsyncOutput>;
    type Owned = SyncHydrate<T::Owned>;

    const MIN_LENGTH: usize = T::MIN_LENGTH;
    const EXISTS: bool = T::EXISTS;

    async fn resolve(self) -> Self::AsyncOutput {
        SyncHydrate(self.0.resolve().await)
    }

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(
            buf,
            position,
            escape,
            mark_branches,
            extra_attrs,
        );
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    // `hydrate_async` keeps the trait's default: `hydrate` in one pass.

    fn into_owned(self) -> Self::Owned {
        SyncHydrate(self.0.into_owned())
    }
}

impl<T: AddAnyAttr> AddAnyAttr for SyncHydrate<T> {
    type Output<SomeNewAttr: Attribute> = SyncHydrate<T::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        SyncHydrate(self.0.add_any_attr(attr))
    }
}

/// `into_any()` for the dashboard's views: the same `AnyView`, without
/// the async hydration code (see the module's notes).
pub trait Erase {
    fn erase(self) -> AnyView;
}

impl<T: RenderHtml + Send + 'static> Erase for T {
    fn erase(self) -> AnyView {
        SyncHydrate(self).into_any()
    }
}
