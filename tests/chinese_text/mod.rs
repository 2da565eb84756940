//! Whether a text the core wrote for the Chinese page is Chinese (shared by the view tests).

/// Asserts that `text` has some CJK and no English word: no run of `letters` ASCII letters once
/// `names` (code, such as tensor names, set aside in this order) are taken out.
pub fn assert_chinese_text(text: &str, names: &[&str], letters: usize) {
    assert!(
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no Chinese in {text:?}"
    );
    let rest = names
        .iter()
        .fold(text.to_string(), |rest, name| rest.replace(name, ""));
    let chars: Vec<char> = rest.chars().collect();
    assert!(
        !chars
            .windows(letters)
            .any(|w| w.iter().all(char::is_ascii_alphabetic)),
        "English in {text:?}"
    );
}
