//! Several files in one download (the page's charts as PNGs): collected here, zipped by the core.

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::io::zip_files::write_zip;

#[wasm_bindgen]
#[derive(Default)]
pub struct ZipFiles {
    files: Vec<(String, Vec<u8>)>,
}

#[wasm_bindgen]
impl ZipFiles {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ZipFiles {
        ZipFiles::default()
    }

    pub fn add(&mut self, name: &str, bytes: Vec<u8>) {
        self.files.push((name.to_string(), bytes));
    }

    /// The zip of every file added, in order.
    pub fn finish(&self) -> Result<Vec<u8>, JsError> {
        write_zip(&self.files).map_err(js_error)
    }
}
