//! The style file read and checked: errors name their line.

use super::*;

#[test]
fn shipped_style_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let style = Style::load(&dir).unwrap();
    assert_eq!(style.page.paper, Paper::A4);
}

#[test]
fn without_a_style_file_the_built_in_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let style = Style::load(dir.path()).unwrap();
    assert_eq!(
        style.path(),
        Path::new("(built-in) templates/pdf-style.yaml")
    );
    assert_eq!(style.fonts.serif.regular, "NotoSerif-Regular.ttf");
    // Its fonts are the built-in ones, with or without a fonts folder.
    style.check_fonts(dir.path()).unwrap();
    style.check_fonts(&dir.path().join("gone")).unwrap();
    // A project's own style is named by its path.
    let own = dir.path().join(STYLE_FILE);
    let text = String::from_utf8(Folder::Templates.built_in(STYLE_FILE).unwrap().to_vec());
    std::fs::write(
        &own,
        text.unwrap().replacen("paper: a4", "paper: letter", 1),
    )
    .unwrap();
    let style = Style::load(dir.path()).unwrap();
    assert_eq!(style.path(), own);
    assert_eq!(style.page.paper, Paper::Letter);
}

#[test]
fn typo_names_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let text = std::fs::read_to_string(dir.join(STYLE_FILE)).unwrap();
    let text = text.replacen("margin_top:", "margin_tpo:", 1);
    let err = Style::parse(&text, Path::new("pdf-style.yaml")).unwrap_err();
    let d = err.downcast_ref::<Diagnostic>().unwrap();
    assert!(d.line > 0, "{d}");
    assert!(
        d.cause.as_deref().unwrap_or("").contains("margin_tpo"),
        "{d}"
    );
}

#[test]
fn colors() {
    assert_eq!(parse_color("#ff0000"), Some([1.0, 0.0, 0.0]));
    assert_eq!(parse_color("red"), None);
}

#[test]
fn impossible_values_name_their_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let text = std::fs::read_to_string(dir.join(STYLE_FILE)).unwrap();
    for (from, to, line, needle) in [
        (
            "  leading: 15.5\n",
            "  leading: -1\n",
            45,
            "`leading` is -1",
        ),
        ("margin_right: 100", "margin_right: 560", 9, "text width"),
        (
            "border_color: \"#dee2e6\"",
            "border_color: \"grey\"",
            99,
            "`grey` is not",
        ),
        ("rule: \"#c9d1d9\"", "rule: \"#c9d1dz\"", 37, "#c9d1dz"),
    ] {
        let broken = text.replacen(from, to, 1);
        let err = Style::parse(&broken, Path::new("pdf-style.yaml")).unwrap_err();
        let d = err.downcast_ref::<Diagnostic>().unwrap();
        assert_eq!(d.line, line, "{d}");
        assert!(d.message.contains(needle), "{d}");
    }
}
