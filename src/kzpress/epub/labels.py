"""The words the e-book itself shows or speaks, in the book's language.

Navigation labels and the sentences of the accessibility summary are here. Languages kzpress knows
(language.py) each have an entry; any other falls back to English, and `Labels.lang` then says so, so
the text can be marked `lang="en"`. The colophon's words are the PDF's: `colophon_words` reads them
from the layout's labels.yaml, so both editions print the same colophon.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml

from kzpress.errors import KzpressError
from kzpress.language import Language


class Labels(NamedTuple):
    lang: str  # the language these words are in
    contents: str
    landmarks: str
    pages: str
    cover: str
    title_page: str
    colophon: str
    start_of_text: str
    font_licence: str
    # Accessibility summary: one sentence per fact, joined with spaces.
    conforms: str
    does_not_conform: str
    navigation: str
    page_list: str
    alternative_text: str
    notes: str
    no_hazards: str
    hazards_unknown: str


_EN = Labels(
    "en", "Contents", "Landmarks", "Pages", "Cover", "Title page", "Colophon", "Start of text", "Font licence",
    "This e-book meets EPUB Accessibility 1.1 at WCAG 2.1 level AA.",
    "This e-book does not claim WCAG conformance: its colours do not reach the contrast level AA requires.",
    "A table of contents and headings give structured navigation; the reading order is the text's order.",
    "A page list gives the page numbers of the printed edition.",
    "Every image has a text alternative.",
    "Footnotes link to their reference and back.",
    "It has no flashing, motion or sound hazards.",
    "It contains animated images whose hazards have not been assessed.",
)

_LABELS = {
    "en": _EN,
    "de": Labels(
        "de", "Inhalt", "Orientierungspunkte", "Seiten", "Umschlag", "Titelseite", "Impressum", "Textbeginn",
        "Schriftlizenz",
        "Dieses E-Book erfüllt EPUB Accessibility 1.1 auf WCAG-2.1-Stufe AA.",
        "Dieses E-Book beansprucht keine WCAG-Konformität: seine Farben erreichen den für Stufe AA nötigen Kontrast nicht.",
        "Inhaltsverzeichnis und Überschriften erlauben strukturierte Navigation; die Lesereihenfolge ist die des Textes.",
        "Eine Seitenliste gibt die Seitenzahlen der gedruckten Ausgabe an.",
        "Jedes Bild hat eine Textalternative.",
        "Fußnoten sind mit ihrer Verweisstelle in beide Richtungen verlinkt.",
        "Es enthält keine Gefahren durch Blinken, Bewegung oder Ton.",
        "Es enthält animierte Bilder, deren Gefahren nicht geprüft wurden.",
    ),
    "es": Labels(
        "es", "Índice", "Puntos de referencia", "Páginas", "Cubierta", "Portada", "Colofón", "Inicio del texto",
        "Licencia de las fuentes",
        "Este libro electrónico cumple EPUB Accessibility 1.1 en el nivel AA de WCAG 2.1.",
        "Este libro electrónico no declara conformidad con WCAG: sus colores no alcanzan el contraste que exige el nivel AA.",
        "Un índice y los encabezados permiten una navegación estructurada; el orden de lectura es el del texto.",
        "Una lista de páginas da los números de página de la edición impresa.",
        "Cada imagen tiene una alternativa textual.",
        "Las notas al pie enlazan con su llamada y de vuelta.",
        "No presenta riesgos de destellos, movimiento ni sonido.",
        "Contiene imágenes animadas cuyos riesgos no se han evaluado.",
    ),
    "ru": Labels(
        "ru", "Содержание", "Ориентиры", "Страницы", "Обложка", "Титульный лист", "Выходные данные",
        "Начало текста", "Лицензия шрифтов",
        "Эта электронная книга соответствует EPUB Accessibility 1.1 на уровне AA WCAG 2.1.",
        "Эта электронная книга не заявляет соответствия WCAG: её цвета не достигают контраста, которого требует уровень AA.",
        "Оглавление и заголовки обеспечивают структурную навигацию; порядок чтения совпадает с порядком текста.",
        "Список страниц даёт номера страниц печатного издания.",
        "У каждого изображения есть текстовая альтернатива.",
        "Сноски связаны ссылками со своим местом в тексте в обе стороны.",
        "В ней нет опасностей мерцания, движения или звука.",
        "Она содержит анимированные изображения, опасность которых не оценивалась.",
    ),
    "uk": Labels(
        "uk", "Зміст", "Орієнтири", "Сторінки", "Обкладинка", "Титульна сторінка", "Вихідні дані",
        "Початок тексту", "Ліцензія шрифтів",
        "Ця електронна книга відповідає EPUB Accessibility 1.1 на рівні AA WCAG 2.1.",
        "Ця електронна книга не заявляє відповідності WCAG: її кольори не досягають контрасту, якого вимагає рівень AA.",
        "Зміст і заголовки забезпечують структурну навігацію; порядок читання збігається з порядком тексту.",
        "Список сторінок подає номери сторінок друкованого видання.",
        "Кожне зображення має текстову альтернативу.",
        "Виноски пов’язані посиланнями зі своїм місцем у тексті в обидва боки.",
        "У ній немає небезпек мерехтіння, руху чи звуку.",
        "Вона містить анімовані зображення, небезпеку яких не оцінено.",
    ),
    "kk": Labels(
        "kk", "Мазмұны", "Бағдарлар", "Беттер", "Мұқаба", "Титул беті", "Шығу деректері", "Мәтіннің басы",
        "Қаріп лицензиясы",
        "Бұл электрондық кітап WCAG 2.1 AA деңгейінде EPUB Accessibility 1.1 талаптарына сай.",
        "Бұл электрондық кітап WCAG сәйкестігін мәлімдемейді: оның түстері AA деңгейі талап ететін контрастқа жетпейді.",
        "Мазмұн мен тақырыптар құрылымдық навигация береді; оқу реті мәтіннің ретімен бірдей.",
        "Беттер тізімі баспа басылымының бет нөмірлерін береді.",
        "Әр суреттің мәтіндік баламасы бар.",
        "Ескертпелер мәтіндегі орнымен екі бағытта сілтеме арқылы байланысқан.",
        "Онда жыпылықтау, қозғалыс немесе дыбыс қаупі жоқ.",
        "Онда қаупі бағаланбаған анимациялық суреттер бар.",
    ),
}


def labels_for(tag: str) -> Labels:
    """The labels for a BCP 47 tag, by its primary language; English where kzpress has none."""
    return _LABELS.get(tag.split("-")[0].lower(), _EN)


class ColophonWords(NamedTuple):
    """The PDF colophon's words for one language (layout/labels.yaml)."""

    translated_by: str
    language: str
    language_name: str  # the edition's language, named in itself
    typeset_with: str  # a template over {body_font} and {heading_font}


def colophon_words(layout_dir: Path, language_: Language, publisher: Path | None = None) -> ColophonWords:
    """The words of layout/labels.yaml (under the publisher's own, if any) for the edition's language."""
    from kzpress.layout import labels

    path = layout_dir / "labels.yaml"
    try:
        table: dict[str, Any] = labels(layout_dir, publisher)
        words = table.get(language_.primary) or table["en"]
        return ColophonWords(
            words["translated_by"], words["language"], words["languages"].get(language_.primary, language_.name),
            words["typeset_with"],
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
        raise KzpressError(f"{path}: cannot read the layout's labels ({error!r}); restore it from kzpress") from None
