//! The lessons in Simplified Chinese: `lessons/lessons.zh.json` covers every lesson and every
//! text field of `lessons/lessons.json`, with the same counts and placeholders; the Chinese
//! lessons reach the page as the English ones do; a broken overlay is refused with the lesson and
//! the reason; and the English lessons are unchanged. No training: fast.
//!
//! A new lesson needs its entry in `lessons/lessons.zh.json`: the first test names what is missing.

mod views_common;

use prunelab::i18n::Lang;
use prunelab::run::lessons::overlay::{overlay_json, overlay_path};
use prunelab::run::lessons::{self, load, localise, outcome_in, Lesson};
use serde_json::{json, Value};

fn english() -> Vec<Lesson> {
    lessons::all().unwrap()
}

fn chinese() -> Vec<Lesson> {
    lessons::all_in(Lang::Zh).unwrap_or_else(|e| panic!("{e}"))
}

/// The overlay file as JSON.
fn overlay() -> Value {
    serde_json::from_str(&overlay_json(Lang::Zh).unwrap()).unwrap()
}

fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}'))
}

/// Every text of a lesson the page shows, with where it is.
fn texts(lesson: &Lesson) -> Vec<(String, &str)> {
    let mut texts = vec![
        ("title".to_string(), lesson.title.as_str()),
        ("summary".to_string(), lesson.summary.as_str()),
        ("question.text".to_string(), lesson.question.text.as_str()),
    ];
    for run in &lesson.runs {
        texts.push((format!("runs.{}", run.id), run.label.as_str()));
    }
    for (i, choice) in lesson.question.choices.iter().enumerate() {
        texts.push((format!("question.choices[{i}]"), choice.label.as_str()));
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        texts.push((format!("steps[{i}]"), step.as_str()));
    }
    for (i, line) in lesson.what_happened.iter().enumerate() {
        texts.push((format!("what_happened[{i}]"), line.as_str()));
    }
    for (i, claim) in lesson.claims.iter().enumerate() {
        texts.push((format!("claims[{i}]"), claim.text.as_str()));
    }
    texts
}

/// The `{…}` placeholders of a line as written, sorted.
fn placeholders(line: &str) -> Vec<String> {
    let mut found: Vec<String> = line
        .split('{')
        .skip(1)
        .filter_map(|part| {
            part.split_once('}')
                .map(|(inside, _)| format!("{{{inside}}}"))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_overlay_covers_every_lesson_and_every_field() {
    let overlay = overlay();
    let entries = overlay
        .as_object()
        .expect("lessons.zh.json is an object by lesson id");
    let english = english();
    let missing: Vec<&str> = english
        .iter()
        .map(|l| l.id.as_str())
        .filter(|id| !entries.contains_key(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "lessons without a Chinese entry in {}: {missing:?} (add title, summary, runs, question, \
         steps, what_happened and claims for each; see docs/lessons.md)",
        overlay_path(Lang::Zh)
    );
    let unknown: Vec<&String> = entries
        .keys()
        .filter(|id| !english.iter().any(|l| &&l.id == id))
        .collect();
    assert!(unknown.is_empty(), "entries for no lesson: {unknown:?}");
    for lesson in &english {
        let entry = &entries[&lesson.id];
        let mut fields: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "claims",
                "question",
                "runs",
                "steps",
                "summary",
                "title",
                "what_happened"
            ],
            "lesson `{}`",
            lesson.id
        );
        let runs: Vec<&String> = entry["runs"].as_object().unwrap().keys().collect();
        let mut ids: Vec<&String> = lesson.runs.iter().map(|r| &r.id).collect();
        ids.sort();
        assert_eq!(runs, ids, "lesson `{}`: run labels", lesson.id);
        for (field, english_count) in [
            ("steps", lesson.steps.len()),
            ("what_happened", lesson.what_happened.len()),
            ("claims", lesson.claims.len()),
        ] {
            assert_eq!(
                entry[field].as_array().unwrap().len(),
                english_count,
                "lesson `{}`: {field}",
                lesson.id
            );
        }
        assert_eq!(
            entry["question"]["choices"].as_array().unwrap().len(),
            lesson.question.choices.len(),
            "lesson `{}`: question.choices",
            lesson.id
        );
    }
    // And the core agrees: the overlay applies without an error.
    assert_eq!(chinese().len(), english.len());
}

#[test]
fn every_chinese_line_has_the_english_lines_placeholders() {
    for (en, zh) in english().iter().zip(chinese()) {
        for (i, (en_line, zh_line)) in en.what_happened.iter().zip(&zh.what_happened).enumerate() {
            assert_eq!(
                placeholders(zh_line),
                placeholders(en_line),
                "lesson `{}`, what_happened line {}: “{zh_line}”",
                en.id,
                i + 1
            );
        }
    }
}

#[test]
fn every_chinese_text_is_chinese_and_the_rest_is_the_english_lesson() {
    for (en, zh) in english().iter().zip(chinese()) {
        for (field, text) in texts(&zh) {
            assert!(
                has_cjk(text),
                "lesson `{}`, {field}: no Chinese character in “{text}”",
                en.id
            );
        }
        for (field, zh_text, en_text) in [
            ("title", &zh.title, &en.title),
            ("summary", &zh.summary, &en.summary),
            ("question", &zh.question.text, &en.question.text),
        ] {
            assert_ne!(zh_text, en_text, "lesson `{}`: {field}", en.id);
        }
        // What a test or the page's configuration reads is the English file's.
        assert_eq!(zh.id, en.id);
        assert_eq!(zh.measure_time, en.measure_time);
        assert_eq!(zh.show, en.show);
        let hashes = |l: &Lesson| -> Vec<(String, String)> {
            l.runs
                .iter()
                .map(|r| (r.id.clone(), r.hash.clone()))
                .collect()
        };
        assert_eq!(hashes(&zh), hashes(en), "lesson `{}`", en.id);
        let whens = |l: &Lesson| -> Vec<String> {
            l.question.choices.iter().map(|c| c.when.clone()).collect()
        };
        assert_eq!(whens(&zh), whens(en), "lesson `{}`", en.id);
        let checks =
            |l: &Lesson| -> Vec<String> { l.claims.iter().map(|c| c.check.clone()).collect() };
        assert_eq!(checks(&zh), checks(en), "lesson `{}`", en.id);
        assert_eq!(
            format!("{:?}", zh.prepared),
            format!("{:?}", en.prepared),
            "lesson `{}`: the conditions and configurations",
            en.id
        );
    }
}

#[test]
fn the_chinese_lessons_json_round_trips() {
    let zh = chinese();
    let text = lessons::public_json(&zh).unwrap();
    let public: Value = serde_json::from_str(&text).unwrap();
    let public = public.as_array().unwrap();
    let overlay = overlay();
    assert_eq!(public.len(), zh.len());
    for (page, lesson) in public.iter().zip(&zh) {
        let entry = &overlay[&lesson.id];
        assert_eq!(page["id"], json!(lesson.id));
        assert_eq!(page["title"], entry["title"]);
        assert_eq!(page["summary"], entry["summary"]);
        assert_eq!(page["question"]["text"], entry["question"]["text"]);
        let choices: Vec<&Value> = page["question"]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["label"])
            .collect();
        let expected: Vec<&Value> = entry["question"]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(choices, expected, "lesson `{}`", lesson.id);
        assert_eq!(page["steps"], entry["steps"]);
        let claims: Vec<&Value> = page["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["text"])
            .collect();
        let expected: Vec<&Value> = entry["claims"].as_array().unwrap().iter().collect();
        assert_eq!(claims, expected, "lesson `{}`", lesson.id);
        for run in page["runs"].as_array().unwrap() {
            let id = run["id"].as_str().unwrap();
            assert_eq!(run["label"], entry["runs"][id], "lesson `{}`", lesson.id);
        }
        // The page's view never carries the conditions or the line templates, in any language.
        assert!(page.get("what_happened").is_none());
        assert!(!page.to_string().contains("\"check\""));
    }
    // The JSON survives a second trip unchanged.
    let again: Value = serde_json::from_str(&serde_json::to_string(&public).unwrap()).unwrap();
    assert_eq!(again, Value::Array(public.clone()));
}

#[test]
fn the_english_lessons_are_unchanged() {
    let plain = lessons::public_json(&english()).unwrap();
    assert_eq!(
        lessons::public_json(&lessons::all_in(Lang::En).unwrap()).unwrap(),
        plain
    );
    // And they are the file's texts.
    let file: Value = serde_json::from_str(lessons::LESSONS_JSON).unwrap();
    let public: Value = serde_json::from_str(&plain).unwrap();
    for (page, authored) in public
        .as_array()
        .unwrap()
        .iter()
        .zip(file.as_array().unwrap())
    {
        for field in ["id", "title", "summary", "steps", "runs"] {
            assert_eq!(page[field], authored[field], "{field}");
        }
        assert_eq!(page["question"]["text"], authored["question"]["text"]);
    }
}

/// A small lesson and its Chinese text, to break one thing at a time.
fn tiny() -> (Vec<Lesson>, Value) {
    let lesson = views_common::tiny_lesson();
    let text = json!({"tiny": {
        "title": "小课",
        "summary": "测试用的一课。",
        "runs": {"pruned": "剪枝后"},
        "question": {"text": "能达到 50% 吗？", "choices": ["能", "不能"]},
        "steps": ["按“播放”。"],
        "what_happened": ["{pruned.label}：{pruned.dense_accuracy} → {pruned.accuracy}（{pruned.change}）；{pruned.total} 个中保留了 {pruned.kept} 个。"],
        "claims": ["准确率至少提高 20 个百分点。"]
    }});
    (load(&json!([lesson]).to_string()).unwrap(), text)
}

/// One way to break the tiny lesson's Chinese text.
type Change = Box<dyn FnOnce(&mut Value)>;

fn overlay_error(change: Change) -> String {
    let (lessons, mut text) = tiny();
    change(&mut text);
    // Written as the file is: pretty, one key a line (a parse error is traced to its lesson by line).
    let json = serde_json::to_string_pretty(&text).unwrap();
    localise(lessons.clone(), &json, "lessons/lessons.zh.json")
        .unwrap_err()
        .to_string()
}

#[test]
fn a_broken_overlay_is_refused_with_the_lesson_and_the_reason() {
    let (lessons, text) = tiny();
    let localised = localise(
        lessons.clone(),
        &text.to_string(),
        "lessons/lessons.zh.json",
    )
    .unwrap();
    assert_eq!(localised[0].title, "小课");
    assert_eq!(localised[0].runs[0].label, "剪枝后");
    assert_eq!(localised[0].question.choices[1].label, "不能");
    assert_eq!(localised[0].claims[0].text, "准确率至少提高 20 个百分点。");
    assert_eq!(localised[0].claims[0].check, lessons[0].claims[0].check);

    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|t| {
                t.as_object_mut().unwrap().remove("tiny");
            }),
            "lesson `tiny`: lessons/lessons.zh.json: the lesson has no entry",
        ),
        (
            Box::new(|t| {
                t["tiny"].as_object_mut().unwrap().remove("summary");
            }),
            "lesson `tiny`: lessons/lessons.zh.json: not an object of lessons' texts by id: missing field `summary`",
        ),
        (
            Box::new(|t| t["tiny"]["hash"] = json!("x")),
            "lesson `tiny`: lessons/lessons.zh.json: not an object of lessons' texts by id: unknown field `hash`",
        ),
        (
            Box::new(|t| t["tiny"]["steps"] = json!(["一", "二"])),
            "`steps` has 2 entries; the English lesson has 1",
        ),
        (
            Box::new(|t| t["tiny"]["question"]["choices"] = json!(["能"])),
            "`question.choices` has 1 entries; the English lesson has 2",
        ),
        (
            Box::new(|t| t["tiny"]["claims"] = json!([])),
            "`claims` has 0 entries; the English lesson has 1",
        ),
        (
            Box::new(|t| t["tiny"]["runs"] = json!({"other": "别的"})),
            "`runs` labels runs other; the lesson's runs are pruned",
        ),
        (
            Box::new(|t| {
                t["tiny"]["what_happened"] =
                    json!(["{pruned.label}：{pruned.accuracy}（{pruned.change}）；{pruned.kept}/{pruned.total}。"])
            }),
            "what_happened line 1: the placeholders are {pruned.label} {pruned.accuracy} {pruned.change} {pruned.kept} {pruned.total}; the English line's are {pruned.label} {pruned.dense_accuracy} {pruned.accuracy} {pruned.change} {pruned.kept} {pruned.total}",
        ),
        (
            Box::new(|t| t["tiny"]["what_happened"] = json!(["{pruned.acuracy}"])),
            "what_happened: placeholder `{pruned.acuracy}`",
        ),
        (
            Box::new(|t| t["tiny"]["title"] = json!(" ")),
            "`title` has an empty text",
        ),
        (
            Box::new(|t| t["other"] = t["tiny"].clone()),
            "lesson `(lessons/lessons.zh.json)`: `other` is not a lesson of lessons/lessons.json",
        ),
    ];
    for (change, expected) in cases {
        let message = overlay_error(change);
        assert!(
            message.contains(expected),
            "{message}\n  expected: {expected}"
        );
    }
    assert!(localise(lessons.clone(), "[]", "lessons/lessons.zh.json")
        .unwrap_err()
        .to_string()
        .contains("not an object of lessons' texts by id"));
}

#[test]
fn the_outcome_in_chinese_uses_the_chinese_texts() {
    let (lessons, text) = tiny();
    let localised = localise(
        lessons.clone(),
        &text.to_string(),
        "lessons/lessons.zh.json",
    )
    .unwrap();
    let mut history = views_common::history();
    history.planned_steps = 4;
    let result = outcome_in(&localised[0], &[("pruned", &history)], Some(0), Lang::Zh);
    assert_eq!(
        result.lines,
        ["剪枝后：50.0% → 80.0%（+30.0 pt）；14 个中保留了 10 个。"]
    );
    assert_eq!(result.claims[0].text, "准确率至少提高 20 个百分点。");
    assert!(result.claims[0].holds);
    let prediction = result.prediction.unwrap();
    assert_eq!(
        prediction.text,
        "你预测的是“能”：这一次不对（pruned.target_reached: 否）——成立的是“不能”（pruned.target_reached: 否）。"
    );
    assert!(has_cjk(result.targets[0].reason.as_deref().unwrap()));
    // Unfinished and not started, in Chinese.
    history.planned_steps = 10;
    let running = outcome_in(&localised[0], &[("pruned", &history)], Some(1), Lang::Zh);
    assert_eq!(running.lines, ["剪枝后 正在运行（第 4 步，共 10 步）"]);
    assert_eq!(
        running.prediction.unwrap().text,
        "你预测的是“不能”：运行结果会告诉你。"
    );
    let not_started = outcome_in(&localised[0], &[], None, Lang::Zh);
    assert_eq!(not_started.lines, ["剪枝后 还没有开始"]);
    // English is the outcome the tests of the claims read.
    assert_eq!(
        outcome_in(&lessons[0], &[], None, Lang::En),
        lessons::outcome(&lessons[0], &[], None)
    );
}

#[test]
fn a_yes_no_claim_in_chinese_says_shi_and_fou() {
    // The same history under two targets: 10 of 14 weights kept reaches 25% but not 50%.
    let lesson = json!({
        "id": "flags",
        "title": "Flags",
        "summary": "A lesson for tests.",
        "runs": [
            {"id": "low", "label": "Low", "hash": "strategy=magnitude&schedule=rollback&target=0.25&tolerance=0.05"},
            {"id": "high", "label": "High", "hash": "strategy=magnitude&schedule=rollback&target=0.5&tolerance=0.05"}
        ],
        "question": {"text": "Which reaches its target?", "choices": [
            {"label": "Low", "when": "low.target_reached and not high.target_reached"},
            {"label": "Both", "when": "low.target_reached and high.target_reached"}
        ]},
        "steps": ["Press Play."],
        "what_happened": ["{low.label} reached: {low.target_reached}; {high.label} reached: {high.target_reached}."],
        "claims": [{"text": "Only the low target is reached.", "check": "low.target_reached and not high.target_reached"}]
    });
    let text = json!({"flags": {
        "title": "标志",
        "summary": "测试用的一课。",
        "runs": {"low": "低", "high": "高"},
        "question": {"text": "哪个达到了目标？", "choices": ["低", "都达到"]},
        "steps": ["按“播放”。"],
        "what_happened": ["{low.label}达到：{low.target_reached}；{high.label}达到：{high.target_reached}。"],
        "claims": ["只有低目标达到了。"]
    }});
    let english = load(&json!([lesson]).to_string()).unwrap();
    let chinese = localise(
        english.clone(),
        &text.to_string(),
        "lessons/lessons.zh.json",
    )
    .unwrap();
    let mut history = views_common::history();
    history.planned_steps = 4;
    let runs = [("low", &history), ("high", &history)];

    let zh = outcome_in(&chinese[0], &runs, Some(1), Lang::Zh);
    assert_eq!(zh.lines, ["低达到：是；高达到：否。"]);
    assert!(zh.claims[0].holds);
    assert_eq!(
        zh.claims[0].detail,
        "low.target_reached: 是; high.target_reached: 否"
    );
    let prediction = zh.prediction.unwrap().text;
    assert!(
        prediction.contains("high.target_reached: 否"),
        "{prediction}"
    );
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .map(str::to_string)
            .collect()
    };
    for text in [&zh.lines[0], &zh.claims[0].detail, &prediction] {
        let words = words(text);
        assert!(
            !words.iter().any(|w| w == "yes" || w == "no"),
            "English yes/no in “{text}”"
        );
    }

    // English keeps its words.
    let en = outcome_in(&english[0], &runs, None, Lang::En);
    assert_eq!(en.lines, ["Low reached: yes; High reached: no."]);
    assert_eq!(
        en.claims[0].detail,
        "low.target_reached: yes; high.target_reached: no"
    );
}
