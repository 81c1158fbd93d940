"""``rgproof derive``."""
import sys

from ..core.files import check_output_path


def cmd_derive(args):
    from ..present import derive

    check_output_path("--out", args.out, folder=True)
    for path in derive.derive(args.out):
        print(f"wrote {path}")
    if args.pdf:
        try:
            print(f"wrote {derive.build_pdf(args.out)}")
        except derive.LatexMissing as exc:
            print(f"rgproof: cannot build the PDF: {exc}", file=sys.stderr)
            return 1
    return 0
