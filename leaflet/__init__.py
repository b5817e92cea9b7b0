"""Patient information leaflets: YAML source and gettext catalogs in, PDFs, web pages,
braille-ready files and plain text out, and the translators' web application.

Data flows one way, and so do imports: a package imports only from the packages before
it in this list, never from one after it, and no two modules import each other (even for
a type). tests/test_layers.py holds this order and fails on an import that points back.

1. `errors` (a module): the errors every stage raises and the CLI and the web
   application report as `path:line: error: message`. It is the bottom of the flow and
   imports nothing of the package, so every stage may import it; it sits at the top of
   the folder because it is public: a caller of any stage catches these errors.
2. `inputs/`: readers of the YAML source, its inline markup and the gettext catalogs,
   and the checks of a catalog.
3. `layout/`: the editions (variants), fonts and the HTML pages made from the source.
4. `formats/`: one module per output format (PDF with its post-processing, booklet,
   card, web page, braille, plain text) and the writing of their files into output/.
5. `checks/`: what `render.py check` and the build verify in the files made.
6. `build/`: the build itself, what makes an output out of date, and submissions of
   catalogs taken in (used by the command line and the web application alike).
7. `app/`: the translators' and clinic's web application (`render.py serve`).
8. `cli` (a module): the command line, `render.py`'s entry point.
"""
