//! Reading what the learner types: a number with an optional unit, an option letter, a
//! self-rating. Each parser returns an [`InputError`] when the text is not acceptable, so
//! that the session can say what is wrong (in the learner's language) and ask again.

use super::ui::InputError;
use rs_fsrs::Rating;

/// A number as people type it: `24`, `24.0`, `2.4e1`, `-3`, `.5`, `1,050,624`,
/// `1_050_624`, `24 GB`, `24GB`. Returns the number and whatever follows it (a unit,
/// trimmed; possibly empty).
pub fn parse_number(text: &str) -> Result<(f64, String), InputError> {
    let text = text.trim().replace('−', "-");
    let bytes = text.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    while end < bytes.len() && (bytes[end].is_ascii_digit() || b",_.".contains(&bytes[end])) {
        end += 1;
    }
    // An exponent only if digits follow: "24entries" is 24 and a word, not 24e...
    if end < bytes.len() && matches!(bytes[end], b'e' | b'E') {
        let mut e = end + 1;
        if matches!(bytes.get(e), Some(b'+' | b'-')) {
            e += 1;
        }
        if bytes.get(e).is_some_and(u8::is_ascii_digit) {
            while bytes.get(e).is_some_and(u8::is_ascii_digit) {
                e += 1;
            }
            end = e;
        }
    }
    let (number, rest) = text.split_at(end);
    let not_a_number = || InputError::NotANumber { text: text.clone() };
    if !number.bytes().any(|b| b.is_ascii_digit()) {
        return Err(not_a_number());
    }
    if number.contains(',') && !thousands_ok(number) {
        return Err(InputError::Commas { number: number.to_string() });
    }
    let plain: String = number.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    match plain.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok((x, rest.trim().to_string())),
        _ => Err(not_a_number()),
    }
}

/// Whether the commas in `number` sit between groups of three digits of its integer part.
fn thousands_ok(number: &str) -> bool {
    let unsigned = number.trim_start_matches(['+', '-']);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    !frac.contains(',')
        && (1..=3).contains(&first.len())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// An option letter (`b`, `B`, `b)`, `b.`) among `count` options, as an index.
pub fn parse_letter(text: &str, count: usize) -> Result<usize, InputError> {
    let last = letter(count - 1);
    let t = text.trim().trim_end_matches([')', '.']).to_lowercase();
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => {
            let i = (c as u8 - b'a') as usize;
            if i < count {
                Ok(i)
            } else {
                Err(InputError::NoSuchOption { letter: c, last })
            }
        }
        _ => Err(InputError::OneLetter { last }),
    }
}

/// The letter of option `i`: 0 -> 'a'.
pub fn letter(i: usize) -> char {
    (b'a' + i as u8) as char
}

/// A self-rating: `1`–`4` or `again`, `hard`, `good`, `easy` (or their first letter).
/// `default` is what an empty line means (none: it must be typed).
pub fn parse_rating(text: &str, default: Option<Rating>) -> Result<Rating, InputError> {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "" => default.ok_or(InputError::RatingNeeded),
        "1" | "a" | "again" => Ok(Rating::Again),
        "2" | "h" | "hard" => Ok(Rating::Hard),
        "3" | "g" | "good" => Ok(Rating::Good),
        "4" | "e" | "easy" => Ok(Rating::Easy),
        _ => Err(InputError::BadRating { text: text.trim().to_string() }),
    }
}

/// Whole numbers with thousands separators (1,050,624); others as Rust prints them.
pub fn format_number(x: f64) -> String {
    if x.fract() != 0.0 || x.abs() >= 1e15 {
        return x.to_string();
    }
    let digits = (x.abs() as u64).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if x < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with its unit: "24 GB"; units in parentheses, like "(probability)", say what
/// the number is rather than measure it, and are left out.
pub fn with_unit(x: f64, unit: &str) -> String {
    if unit.is_empty() || unit.starts_with('(') {
        format_number(x)
    } else {
        format!("{} {unit}", format_number(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        let ok = |t: &str| parse_number(t).unwrap();
        assert_eq!(ok("24"), (24.0, String::new()));
        assert_eq!(ok(" 24.0 "), (24.0, String::new()));
        assert_eq!(ok("2.4e1"), (24.0, String::new()));
        assert_eq!(ok("24 GB"), (24.0, "GB".to_string()));
        assert_eq!(ok("24GB"), (24.0, "GB".to_string()));
        assert_eq!(ok("1,050,624"), (1_050_624.0, String::new()));
        assert_eq!(ok("1_050_624 parameters"), (1_050_624.0, "parameters".to_string()));
        assert_eq!(ok("-3"), (-3.0, String::new()));
        assert_eq!(ok("−0.5"), (-0.5, String::new()));
        assert_eq!(ok(".5"), (0.5, String::new()));
        assert_eq!(ok("1e-5"), (1e-5, String::new()));
        assert_eq!(ok("3 entries"), (3.0, "entries".to_string()));
        assert_eq!(ok("3entries"), (3.0, "entries".to_string()));
    }

    #[test]
    fn non_numbers_get_a_message_not_a_panic() {
        for bad in ["", "abc", "GB", "-", ".", "1,05", "2,5", "1.2.3", "e5", "1e999", "NaN", "∞"]
        {
            let err = parse_number(bad).unwrap_err();
            assert!(matches!(err, InputError::NotANumber { .. } | InputError::Commas { .. }));
        }
        assert_eq!(parse_number("1,05"), Err(InputError::Commas { number: "1,05".into() }));
    }

    #[test]
    fn letters_are_checked_against_the_options() {
        assert_eq!(parse_letter("b", 4), Ok(1));
        assert_eq!(parse_letter(" B) ", 4), Ok(1));
        assert_eq!(parse_letter("d.", 4), Ok(3));
        assert_eq!(parse_letter("e", 4), Err(InputError::NoSuchOption { letter: 'e', last: 'd' }));
        for bad in ["", "ab", "1", "?", "é"] {
            assert_eq!(parse_letter(bad, 4), Err(InputError::OneLetter { last: 'd' }), "{bad}");
        }
    }

    #[test]
    fn ratings_take_digits_names_and_a_default() {
        assert_eq!(parse_rating("1", None), Ok(Rating::Again));
        assert_eq!(parse_rating(" Easy ", None), Ok(Rating::Easy));
        assert_eq!(parse_rating("", Some(Rating::Good)), Ok(Rating::Good));
        assert!(parse_rating("", None).is_err());
        assert!(parse_rating("5", None).is_err());
    }

    #[test]
    fn numbers_print_with_grouping_and_units() {
        assert_eq!(with_unit(1_050_624.0, "parameters"), "1,050,624 parameters");
        assert_eq!(with_unit(0.25, "(probability)"), "0.25");
        assert_eq!(with_unit(-1000.0, "GB"), "-1,000 GB");
    }
}
