//! What the controls show about the settings being edited: whether they run, and the network's size.

use serde::Serialize;

use crate::error::ErrorCode;
use crate::i18n::{plain, Lang};
use crate::nn::Network;
use crate::run::RunConfig;

/// The verdict on a configuration: `ok` with the parameter counts, or the message saying what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfigCheck {
    pub ok: bool,
    pub message: Option<String>,
    /// All parameters (biases included) and the prunable weights among them.
    pub params: Option<usize>,
    pub prunable: Option<usize>,
}

/// Checks a JSON [`RunConfig`]; bad JSON or bad settings give `ok: false` with a message in `lang`.
pub fn check_config_json(config_json: &str, lang: Lang) -> ConfigCheck {
    let config: RunConfig = match serde_json::from_str(config_json) {
        Ok(config) => config,
        Err(error) => {
            let message = ErrorCode::InvalidSettingsJson.with(vec![("detail", plain(error))]);
            return ConfigCheck::refused(message.render(lang));
        }
    };
    if let Err(error) = config.validate() {
        return ConfigCheck::refused(error.render(lang));
    }
    match Network::new(&config.architecture) {
        Ok(network) => ConfigCheck {
            ok: true,
            message: None,
            params: Some(network.param_count()),
            prunable: Some(
                network
                    .params()
                    .filter(|p| p.is_prunable())
                    .map(|p| p.len())
                    .sum(),
            ),
        },
        Err(error) => ConfigCheck::refused(error.render(lang)),
    }
}

impl ConfigCheck {
    fn refused(message: String) -> ConfigCheck {
        ConfigCheck {
            ok: false,
            message: Some(message),
            params: None,
            prunable: None,
        }
    }
}
