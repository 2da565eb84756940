//! The session API inside a real dedicated worker, where the playground trains: create, step, read
//! metrics, predict; bad settings come back as errors.
#![cfg(target_arch = "wasm32")]

use prunelab::web::Session;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const DIGITS: &[u8] = include_bytes!("../www/data/mnist-10k.bin.gz");

#[wasm_bindgen_test]
fn a_session_trains_in_a_worker() {
    let mut config = prunelab::run::RunConfig::default();
    config.prune.pretrain_epochs = 1;
    config.prune.finetune_epochs = 1;
    let json = serde_json::to_string(&config).unwrap();
    let mut session = Session::new(&json, DIGITS).unwrap();
    let progress: serde_json::Value =
        serde_json::from_str(&session.run_steps(25, 10_000.0).unwrap()).unwrap();
    assert_eq!(progress["step"], 25);
    let chunk: serde_json::Value =
        serde_json::from_str(&session.take_chunk_json().unwrap()).unwrap();
    assert_eq!(chunk["steps"].as_array().unwrap().len(), 25);
    assert_eq!(session.predict(&[0.0; 784]).unwrap().len(), 20);
    config.train.batch_size = 0;
    assert!(Session::new(&serde_json::to_string(&config).unwrap(), DIGITS).is_err());
}
