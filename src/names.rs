//! One definition per name. Every setting a user picks by name (strategy, schedule, scope,
//! granularity, rewind, optimiser, learning-rate schedule) is an enum whose spellings come from
//! its variants once, through strum's derives (kebab-case: `FilterL1` is `filter-l1`, `OneShot`
//! is `one-shot`). [`named!`] then builds from those spellings, and from nothing else:
//! - serde (session files, summary.json, the page's JSON),
//! - clap's `ValueEnum` (the CLI's flag values; native builds only),
//! - [`Named::from_name`], whose error lists the allowed names (URL hash, files).
//!
//! A name that changed keeps its old spelling readable with a second strum `serialize` (the
//! display name is the `to_string` one), e.g. `one_shot` in older session files and links.

use crate::error::ErrorCode;
use crate::i18n::plain;
use crate::{Error, Result};

/// An enum a user picks by name; implemented by [`named!`].
pub trait Named:
    Sized
    + Copy
    + PartialEq
    + std::str::FromStr
    + Into<&'static str>
    + strum::VariantArray
    + strum::EnumMessage
    + 'static
{
    /// The setting the name is for, as messages call it (`strategy`, `schedule`, …).
    const SETTING: &'static str;

    /// The canonical spelling.
    fn name(self) -> &'static str {
        self.into()
    }

    /// What the page shows for it.
    fn label(self) -> &'static str {
        self.get_message().unwrap_or_else(|| self.name())
    }

    /// Every value, in declaration order.
    fn all() -> &'static [Self] {
        <Self as strum::VariantArray>::VARIANTS
    }

    /// Every canonical spelling, in declaration order.
    fn names() -> Vec<&'static str> {
        Self::all().iter().map(|v| v.name()).collect()
    }

    /// Reads a name (canonical or an older accepted spelling); the error lists the allowed ones.
    fn from_name(text: &str) -> Result<Self> {
        text.parse().map_err(|_| {
            Error::setting(
                Self::SETTING,
                ErrorCode::UnknownName.with(vec![
                    ("setting", plain(Self::SETTING)),
                    ("name", plain(text)),
                    ("allowed", plain(Self::names().join(", "))),
                ]),
            )
        })
    }
}

/// Implements [`Named`], serde and (natively) clap's `ValueEnum` for an enum that derives
/// `EnumString`, `IntoStaticStr`, `VariantArray` and `EnumMessage`, all from its strum names.
macro_rules! named {
    ($type:ty, $setting:literal) => {
        impl $crate::names::Named for $type {
            const SETTING: &'static str = $setting;
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::names::Named::name(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> std::result::Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                <$type as $crate::names::Named>::from_name(&text)
                    .map_err(|e| <D::Error as serde::de::Error>::custom(e))
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl clap::ValueEnum for $type {
            fn value_variants<'a>() -> &'a [Self] {
                <$type as $crate::names::Named>::all()
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(
                    $crate::names::Named::name(*self),
                ))
            }
        }
    };
}
pub(crate) use named;
