//! The crate's error type: every message names what was wrong and what is allowed.
//!
//! Messages are built from the language catalogs ([`crate::i18n`]): each has a stable code
//! ([`ErrorCode`], catalog key `error.<code>`) and arguments, so the page can show it in its
//! language while `Display` (the CLI, files, tests) stays English.

use std::fmt::Display;

use crate::i18n::{plain, Lang, Message};

/// The stable code of an error message; its catalog key is `error.<code>` (kebab-case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum ErrorCode {
    InvalidSetting,
    InvalidSettingsJson,
    Dataset,
    Weights,
    Session,
    Diverged,
    DivergedLoss,
    DivergedGradient,
    DivergedUpdate,
    DivergedScoring,
    AdviceLearningRate,
    AdvicePenalties,
    OutOfRange,
    RangeBetween,
    RangeBelow,
    RangeAboveBelow,
    RangeAboveAtMost,
    RangeSteps,
    TargetOutOfRange,
    UnknownName,
    ScheduleNeedsFinetune,
    DynamicNeedsEpochs,
    LotteryNeedsPretrain,
    OutputLayerStructured,
    OutputLayerKept,
    ScheduleNeedsTarget,
    UnreadableLayer,
    UnknownPreset,
    LayerCount,
    EmptyInput,
    ConvFilters,
    ConvKernelFit,
    PoolFit,
    DenseUnits,
    LastLayerDense,
    TooManyParams,
    UnknownLayer,
    LayerGivenTwice,
    LayerSparsityOutOfRange,
    NothingDrawn,
    MovementNeedsTraining,
}

impl ErrorCode {
    /// The catalog key: `error.out-of-range`.
    pub fn key(self) -> String {
        format!("error.{}", <&str>::from(self))
    }

    /// This code's message with its arguments.
    pub fn with(self, args: Vec<(&'static str, Message)>) -> Message {
        Message::coded(self.key(), args)
    }
}

/// "{value} is out of range; allowed: {allowed}".
pub fn out_of_range(value: impl Display, allowed: Message) -> Message {
    ErrorCode::OutOfRange.with(vec![("value", plain(value)), ("allowed", allowed)])
}

/// An allowed range with both ends included: "1 to 1000".
pub fn between(min: impl Display, max: impl Display) -> Message {
    ErrorCode::RangeBetween.with(vec![("min", plain(min)), ("max", plain(max))])
}

/// An allowed range without its upper end: "0 to below 1".
pub fn below(min: impl Display, max: impl Display) -> Message {
    ErrorCode::RangeBelow.with(vec![("min", plain(min)), ("max", plain(max))])
}

/// Everything that can go wrong with user-controlled input (settings, files, URLs) or a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A setting is out of range or inconsistent; the message names the field and the allowed values.
    InvalidSetting { field: String, message: Message },
    /// A dataset file could not be read.
    Dataset(String),
    /// A weights file (.npz) could not be read or does not fit the architecture.
    Weights(String),
    /// A saved session file could not be read or does not fit its own configuration.
    Session(String),
    /// A run produced NaN or infinite values; the message says where and what to try.
    Diverged(Message),
}

impl Error {
    /// Shorthand for [`Error::InvalidSetting`]; `message` is a coded [`Message`] or (not yet in
    /// the catalogs) English text.
    pub fn setting(field: impl Into<String>, message: impl Into<Message>) -> Self {
        Error::InvalidSetting {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        self.message().render(lang)
    }

    /// The whole message, coded.
    pub fn message(&self) -> Message {
        let (code, detail) = match self {
            Error::InvalidSetting { field, message } => {
                return ErrorCode::InvalidSetting
                    .with(vec![("field", plain(field)), ("message", message.clone())])
            }
            Error::Dataset(detail) => (ErrorCode::Dataset, detail),
            Error::Weights(detail) => (ErrorCode::Weights, detail),
            Error::Session(detail) => (ErrorCode::Session, detail),
            Error::Diverged(detail) => {
                return ErrorCode::Diverged.with(vec![("detail", detail.clone())])
            }
        };
        code.with(vec![("detail", plain(detail))])
    }
}

/// English: the CLI's and the files' language.
impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
