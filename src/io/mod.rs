//! TEMPORARY stub until the npz module lands (feat-npz branch); same API.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedTensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}
pub fn write_npz(_tensors: &[NamedTensor]) -> crate::Result<Vec<u8>> {
    Err(crate::Error::Weights("not yet".into()))
}
pub fn read_npz(_bytes: &[u8]) -> crate::Result<Vec<NamedTensor>> {
    Err(crate::Error::Weights("not yet".into()))
}
