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
mod texts;

pub use texts::Texts;

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

/// The language a browser prefers (`Accept-Language`), of the two the
/// dashboard speaks: a signed-out visitor with no language cookie sees the
/// sign-in page in it. Indonesian when an `id` (or the old `in`) tag
/// weighs more than any English one.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or_default();
        let lang = match primary {
            "id" | "in" => Lang::Id,
            "en" => Lang::En,
            _ => continue,
        };
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .filter(|q| q.is_finite())
            .unwrap_or(1.0);
        if weight > 0.0 && best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, lang));
        }
    }
    best.map(|(_, lang)| lang)
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

    /// A catalogue text as a view that follows the language:
    /// `{locale.text(|t| t.nav_inbox)}`.
    ///
    /// Why not `{locale.text(|t| t.nav_inbox)}`: every closure is a type of its
    /// own, and the reactive text view (its effect, build, hydrate and
    /// rebuild code) was compiled once per closure, hundreds of times
    /// over. Every `text` returns the same type, so that code exists once.
    pub fn text(
        self,
        pick: fn(&'static Texts) -> &'static str,
    ) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || pick(self.t())
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
                    .or_else(|| {
                        parts
                            .headers
                            .get(http::header::ACCEPT_LANGUAGE)
                            .and_then(|value| value.to_str().ok())
                            .and_then(from_accept_language)
                    })
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

/// Counts the language switches the server has taken (it saved the
/// choice and sets its cookie). Every page's data ([`crate::fetch::load`])
/// is fetched again when it changes, so what the server words (dates,
/// price-rule lines, history) follows the switch too, not only the
/// interface's own texts.
#[derive(Clone, Copy)]
pub struct LanguageApplied(pub RwSignal<u32>);

/// Puts the page's [`Locale`] (and [`LanguageApplied`]) into context;
/// called once, by the app.
pub fn provide_locale() -> Locale {
    let locale = Locale(RwSignal::new(initial()));
    provide_context(locale);
    provide_context(LanguageApplied(RwSignal::new(0)));
    locale
}

/// The page's [`Locale`].
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(|| Locale(RwSignal::new(Lang::En)))
}

#[cfg(test)]
mod tests {
    use super::{from_accept_language, Lang};

    #[test]
    fn the_browsers_preference_picks_between_english_and_indonesian() {
        assert_eq!(
            from_accept_language("id-ID,id;q=0.9,en;q=0.8"),
            Some(Lang::Id)
        );
        assert_eq!(
            from_accept_language("en-US,en;q=0.9,id;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(from_accept_language("fr, in;q=0.5"), Some(Lang::Id));
        assert_eq!(from_accept_language("en;q=0.2, id;q=0.7"), Some(Lang::Id));
        assert_eq!(from_accept_language("id;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language("fr-FR, de"), None);
        assert_eq!(from_accept_language(""), None);
        assert_eq!(from_accept_language("id;q=NaN"), Some(Lang::Id));
    }
}
