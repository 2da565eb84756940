//! The small language of a lesson's `check` (a claim) and `when` (a prediction choice).
//!
//! ```text
//! condition := clause ("and" clause)*
//! clause    := "not"? run "." flag            a yes/no metric: `rollback.target_reached`
//!            | sum OP sum                     OP: < <= > >=
//! sum       := product (("+" | "-") product)*
//! product   := atom (("×" | "*") atom)*
//! atom      := run "." metric | "-"? NUMBER ("pt" | "%")?
//! ```
//! `pt` is a percentage point of a fraction (`2pt` = 0.02: accuracies and sparsities are fractions),
//! `%` the same (`90%` = 0.9). Names are letters, digits and `_` (a `-` is always a minus). A metric that a run does not
//! have (no dense accuracy for RigL) makes the clause false, and the detail says why.

use super::metrics::{Metric, MetricKind};

/// A parsed condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Clause {
    Flag { negated: bool, value: Ref },
    Compare { left: Sum, op: Op, right: Sum },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Less => "<",
            Op::LessEqual => "≤",
            Op::Greater => ">",
            Op::GreaterEqual => "≥",
        }
    }

    fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Less => left < right,
            Op::LessEqual => left <= right,
            Op::Greater => left > right,
            Op::GreaterEqual => left >= right,
        }
    }
}

/// `run.metric`.
#[derive(Clone, Debug, PartialEq)]
pub struct Ref {
    pub run: String,
    pub metric: Metric,
}

/// Terms added or subtracted.
#[derive(Clone, Debug, PartialEq)]
pub struct Sum {
    pub terms: Vec<(f64, Product)>,
}

/// Factors multiplied.
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    pub factors: Vec<Atom>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Atom {
    Value(Ref),
    /// A number as written (`2pt` → 0.02) and its spelling for the detail text.
    Number(f64, String),
}

/// Values of `run.metric` for evaluation, and how to write them for people.
pub trait Lookup {
    /// The value, or why there is none.
    fn value(&self, reference: &Ref) -> Result<f64, String>;
    fn display(&self, reference: &Ref) -> String;
}

/// A condition's truth and the numbers behind it (`93.2% > 88.1% + 2 pt`).
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluated {
    pub holds: bool,
    pub detail: String,
}

impl Condition {
    /// Every `run.metric` the condition names.
    pub fn refs(&self) -> Vec<&Ref> {
        let mut refs = Vec::new();
        for clause in &self.clauses {
            match clause {
                Clause::Flag { value, .. } => refs.push(value),
                Clause::Compare { left, right, .. } => {
                    for sum in [left, right] {
                        for (_, product) in &sum.terms {
                            for atom in &product.factors {
                                if let Atom::Value(r) = atom {
                                    refs.push(r);
                                }
                            }
                        }
                    }
                }
            }
        }
        refs
    }

    pub fn evaluate(&self, lookup: &dyn Lookup) -> Evaluated {
        let mut holds = true;
        let mut details = Vec::new();
        for clause in &self.clauses {
            let (clause_holds, detail) = clause.evaluate(lookup);
            holds &= clause_holds;
            details.push(detail);
        }
        Evaluated {
            holds,
            detail: details.join("; "),
        }
    }
}

impl Clause {
    fn evaluate(&self, lookup: &dyn Lookup) -> (bool, String) {
        match self {
            Clause::Flag { negated, value } => match lookup.value(value) {
                Ok(v) => {
                    let is_set = v != 0.0;
                    let text = format!(
                        "{}.{}: {}",
                        value.run,
                        value.metric.name(),
                        lookup.display(value)
                    );
                    (is_set != *negated, text)
                }
                Err(why) => (false, why),
            },
            Clause::Compare { left, op, right } => {
                let text = format!(
                    "{} {} {}",
                    left.display(lookup),
                    op.symbol(),
                    right.display(lookup)
                );
                match (left.value(lookup), right.value(lookup)) {
                    (Ok(l), Ok(r)) => (op.holds(l, r), text),
                    (Err(why), _) | (_, Err(why)) => (false, why),
                }
            }
        }
    }
}

impl Sum {
    fn value(&self, lookup: &dyn Lookup) -> Result<f64, String> {
        let mut total = 0.0;
        for (sign, product) in &self.terms {
            total += sign * product.value(lookup)?;
        }
        Ok(total)
    }

    fn display(&self, lookup: &dyn Lookup) -> String {
        let mut text = String::new();
        for (i, (sign, product)) in self.terms.iter().enumerate() {
            if i > 0 {
                text.push_str(if *sign < 0.0 { " − " } else { " + " });
            }
            text.push_str(&product.display(lookup));
        }
        text
    }
}

impl Product {
    fn value(&self, lookup: &dyn Lookup) -> Result<f64, String> {
        let mut total = 1.0;
        for atom in &self.factors {
            total *= match atom {
                Atom::Value(r) => lookup.value(r)?,
                Atom::Number(n, _) => *n,
            };
        }
        Ok(total)
    }

    fn display(&self, lookup: &dyn Lookup) -> String {
        let parts: Vec<String> = self
            .factors
            .iter()
            .map(|atom| match atom {
                Atom::Value(r) => lookup.display(r),
                Atom::Number(_, written) => written.clone(),
            })
            .collect();
        parts.join(" × ")
    }
}

/// Parses a condition; the error says what was expected where.
pub fn parse(text: &str) -> Result<Condition, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let mut clauses = vec![parser.clause()?];
    while parser.eat_word("and") {
        clauses.push(parser.clause()?);
    }
    if let Some(token) = parser.peek() {
        return Err(format!(
            "unexpected `{}` after a complete condition",
            token.text()
        ));
    }
    Ok(Condition { clauses })
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Number(f64, String),
    Dot,
    Plus,
    Minus,
    Times,
    Op(Op),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Word(w) => w.clone(),
            Token::Number(_, written) => written.clone(),
            Token::Dot => ".".into(),
            Token::Plus => "+".into(),
            Token::Minus => "-".into(),
            Token::Times => "×".into(),
            Token::Op(op) => op.symbol().into(),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' => i += 1,
            '.' => {
                tokens.push(Token::Dot);
                i += 1;
            }
            '+' => {
                tokens.push(Token::Plus);
                i += 1;
            }
            '-' | '−' => {
                tokens.push(Token::Minus);
                i += 1;
            }
            '*' | '×' => {
                tokens.push(Token::Times);
                i += 1;
            }
            '<' | '>' => {
                let or_equal = next == Some('=');
                tokens.push(Token::Op(match (c, or_equal) {
                    ('<', false) => Op::Less,
                    ('<', true) => Op::LessEqual,
                    ('>', false) => Op::Greater,
                    _ => Op::GreaterEqual,
                }));
                i += if or_equal { 2 } else { 1 };
            }
            '≤' | '≥' => {
                tokens.push(Token::Op(if c == '≤' {
                    Op::LessEqual
                } else {
                    Op::GreaterEqual
                }));
                i += 1;
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let digits: String = chars[start..i].iter().collect();
                let mut value: f64 = digits
                    .parse()
                    .map_err(|_| format!("`{digits}` is not a number"))?;
                // A unit may follow after spaces: `2pt`, `2 pt`, `90%`.
                let mut after = i;
                while chars.get(after) == Some(&' ') {
                    after += 1;
                }
                let rest: String = chars[after..].iter().collect();
                let unit = if rest.starts_with("pt") && !rest[2..].starts_with(is_name_char) {
                    "pt"
                } else if rest.starts_with('%') {
                    "%"
                } else {
                    ""
                };
                if !unit.is_empty() {
                    value /= 100.0;
                    i = after + unit.chars().count();
                }
                let written = if unit == "pt" {
                    format!("{digits} pt")
                } else {
                    format!("{digits}{unit}")
                };
                tokens.push(Token::Number(value, written));
            }
            c if is_name_char(c) => {
                let start = i;
                while i < chars.len() && is_name_char(chars[i]) {
                    i += 1;
                }
                tokens.push(Token::Word(chars[start..i].iter().collect()));
            }
            other => return Err(format!("unexpected character `{other}`")),
        }
    }
    Ok(tokens)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w == word) {
            self.at += 1;
            return true;
        }
        false
    }

    fn found(&self) -> String {
        self.peek()
            .map_or("the end".into(), |t| format!("`{}`", t.text()))
    }

    fn clause(&mut self) -> Result<Clause, String> {
        if self.eat_word("not") {
            let value = self.reference()?;
            return flag(value, true);
        }
        let left = self.sum()?;
        let op = match self.peek() {
            Some(Token::Op(op)) => *op,
            _ if is_single_ref(&left)
                && (self.peek().is_none()
                    || matches!(self.peek(), Some(Token::Word(w)) if w == "and")) =>
            {
                let Some((_, product)) = left.terms.into_iter().next() else {
                    unreachable!("is_single_ref checked one term");
                };
                let Some(Atom::Value(value)) = product.factors.into_iter().next() else {
                    unreachable!("is_single_ref checked one reference");
                };
                return flag(value, false);
            }
            _ => {
                return Err(format!(
                    "expected a comparison (<, <=, >, >=) but found {}",
                    self.found()
                ))
            }
        };
        self.at += 1;
        let right = self.sum()?;
        for side in [&left, &right] {
            for (_, product) in &side.terms {
                for atom in &product.factors {
                    if let Atom::Value(r) = atom {
                        if r.metric.kind() == MetricKind::YesNo {
                            return Err(format!(
                                "`{}.{}` is yes/no: write `{0}.{1}` or `not {0}.{1}`, not a comparison",
                                r.run,
                                r.metric.name()
                            ));
                        }
                    }
                }
            }
        }
        Ok(Clause::Compare { left, op, right })
    }

    fn sum(&mut self) -> Result<Sum, String> {
        let mut terms = vec![(1.0, self.product()?)];
        loop {
            let sign = match self.peek() {
                Some(Token::Plus) => 1.0,
                Some(Token::Minus) => -1.0,
                _ => break,
            };
            self.at += 1;
            terms.push((sign, self.product()?));
        }
        Ok(Sum { terms })
    }

    fn product(&mut self) -> Result<Product, String> {
        let mut factors = vec![self.atom()?];
        while matches!(self.peek(), Some(Token::Times)) {
            self.at += 1;
            factors.push(self.atom()?);
        }
        Ok(Product { factors })
    }

    fn atom(&mut self) -> Result<Atom, String> {
        // A negative number: `−1pt`.
        if matches!(self.peek(), Some(Token::Minus))
            && matches!(self.tokens.get(self.at + 1), Some(Token::Number(..)))
        {
            self.at += 1;
            if let Some(Token::Number(value, written)) = self.next() {
                return Ok(Atom::Number(-value, format!("−{written}")));
            }
        }
        match self.peek() {
            Some(Token::Number(value, written)) => {
                let atom = Atom::Number(*value, written.clone());
                self.at += 1;
                Ok(atom)
            }
            Some(Token::Word(_)) => Ok(Atom::Value(self.reference()?)),
            _ => Err(format!(
                "expected `run.metric` or a number but found {}",
                self.found()
            )),
        }
    }

    fn reference(&mut self) -> Result<Ref, String> {
        let run = match self.next() {
            Some(Token::Word(run)) => run,
            other => {
                return Err(format!(
                    "expected a run id but found {}",
                    other.map_or("the end".into(), |t| format!("`{}`", t.text()))
                ))
            }
        };
        if self.next() != Some(Token::Dot) {
            return Err(format!("expected `.` and a metric after `{run}`"));
        }
        let name = match self.next() {
            Some(Token::Word(name)) => name,
            _ => return Err(format!("expected a metric after `{run}.`")),
        };
        let metric = Metric::from_name(&name)?;
        Ok(Ref { run, metric })
    }
}

fn is_single_ref(sum: &Sum) -> bool {
    sum.terms.len() == 1
        && sum.terms[0].0 > 0.0
        && sum.terms[0].1.factors.len() == 1
        && matches!(sum.terms[0].1.factors[0], Atom::Value(_))
}

fn flag(value: Ref, negated: bool) -> Result<Clause, String> {
    if value.metric.kind() != MetricKind::YesNo {
        return Err(format!(
            "`{}.{}` is a number: compare it (e.g. `{0}.{1} > 0.9`)",
            value.run,
            value.metric.name()
        ));
    }
    Ok(Clause::Flag { negated, value })
}
