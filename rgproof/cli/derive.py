"""``rgproof derive``."""
import re
import sys
from pathlib import Path

from ..core.files import check_output_path


def cmd_derive(args):
    from ..present import derive

    check_output_path("--out", args.out, folder=True)
    for path in derive.derive(args.out):
        print(f"wrote {path}")
    if args.pdf:
        try:
            pdf = derive.build_pdf(args.out)
            pages = pdf_pages(Path(args.out, "main.log"))
            print(f"wrote {pdf}" + (f" ({pages} pages)" if pages else ""))
        except derive.LatexMissing as exc:
            print(f"rgproof: cannot build the PDF: {exc}", file=sys.stderr)
            return 1
        except RuntimeError as exc:  # the compiler failed: its first error and where its log is
            log = Path(args.out, "main.log")
            error = first_latex_error(log)
            print(f"rgproof: cannot build the PDF: {str(exc).splitlines()[0]}"
                  + (f"\n{error}" if error else "")
                  + (f"\nrgproof: the full log is {log}" if log.exists() else ""),
                  file=sys.stderr)
            return 1
    return 0


def first_latex_error(log):
    """The first error line of the LaTeX log file ``log`` (TeX starts each with '!'), or None
    when there is no such file or line."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return None
    return next((line for line in lines if line.startswith("!")), None)


def pdf_pages(log):
    """The page count TeX reports at the end of the log file ``log`` ("Output written on
    main.pdf (44 pages, ...)"), or None when there is no such file or line."""
    try:
        found = re.search(r"Output written on .*?\((\d+) pages?", log.read_text(errors="replace"))
    except OSError:
        return None
    return int(found.group(1)) if found else None
