"""``rgproof anneal ising|expfam``."""
import sys

from ..core.files import check_distinct_paths, check_output_path
from .options import _Parser


def _add_anneal_parser(sub):
    """``rgproof anneal ising|expfam``: annealed network ensembles and their output systems."""
    anneal = sub.add_parser("anneal", help="anneal network ensembles (simulated annealing)")
    experiments = anneal.add_subparsers(dest="experiment", required=True, parser_class=_Parser)
    ising = experiments.add_parser(
        "ising", help="J_t of annealed networks against the decimation fixed point J* = 0")
    add = ising.add_argument
    add("--N", type=int, default=8, help="inputs (the Ising chain length; default 8)")
    add("--M", type=int, default=8, help="outputs, periodic (default 8)")
    add("--J", type=float, default=1.0, help="data coupling J of the Ising chain (default 1)")
    add("--tau", type=float, default=None, help="g(t) = g(inf)(1 - exp(-t/tau)); default T/40")
    add("--target", type=float, default=None, metavar="J'",
        help="choose g(inf) so that J_t -> J' (default: the theorem's J' = 0)")
    _add_engine_options(ising, activation="sigmoid", chains=64, steps=2000, bootstrap=500,
                        plot="J_t and the loss")
    expfam = experiments.add_parser(
        "expfam", help="theta~_t of networks trained on exponential-family data, against the "
                       "teacher, the RG prediction and the paper's theta*")
    add = expfam.add_argument
    add("--N", type=int, default=2, help="inputs: data on R^N (default 2)")
    add("--M", type=int, default=2, help="outputs: the radial fit is in R^M (default 2)")
    add("--theta", default="0.5,0.25", help="theta_1,...,theta_R of the data (default 0.5,0.25)")
    add("--A", default=None, metavar="ROW;ROW", help="symmetric positive definite A, rows "
                                                     "separated by ';' (default I)")
    add("--b", default=None, metavar="B1,...", help="linear term b (default 0)")
    add("--R", type=int, default=None, help="coefficients of the fit (default: those of theta)")
    add("--teacher", default="rg", help="rg (y = s R z), linear (y = G z) or mlp (default rg)")
    add("--scale", type=float, default=1.5, help="s of the rg teacher (default 1.5)")
    add("--train-size", type=int, default=64, help="rows of the training set (default 64)")
    add("--eval-size", type=int, default=256, help="fresh evaluation inputs per chain (256)")
    _add_engine_options(expfam, activation=None, chains=16, steps=400, bootstrap=200,
                        plot="theta~_t per r and the loss")


def _add_engine_options(parser, *, activation, chains, steps, bootstrap, plot):
    """The annealing engine's options, shared by the experiments (their defaults differ)."""
    add = parser.add_argument
    add("--hidden", default="", metavar="W1,W2", help="hidden widths (default: none)")
    add("--activation", default=activation, help=f"sigmoid, tanh, identity or the name of one installed "
                                                 "under the entry-point group rgproof.activations "
                                                 f"(default {activation or 'by the teacher'})")
    add("--chains", type=int, default=chains, help=f"independent chains K (default {chains})")
    add("--steps", type=int, default=steps, help=f"Euler-Maruyama steps (default {steps})")
    add("--dt", type=float, default=0.01, help="step size (default 0.01)")
    add("--c", type=float, default=0.01, help="cooling constant: eta_t = c/log(t+2) (0.01)")
    add("--lam", type=float, default=0.1, help="penalty lambda ||W - W*||^2 (default 0.1)")
    add("--seed", type=int, default=0, help="seed of teacher, W_0 and noise (default 0)")
    add("--batch", type=int, default=None, help="SGD variant: minibatch size (no Brownian noise)")
    add("--bootstrap", type=int, default=bootstrap,
        help=f"bootstrap replicates (default {bootstrap})")
    add("--record-every", type=int, default=None, help="steps between records (steps/100)")
    add("--backend", default="numpy", help="numpy, cupy, torch or array-api-strict")
    add("--dtype", default="float64", help="float64 or float32")
    add("--checkpoint", metavar="FILE", default=None, help="write the run state to FILE")
    add("--checkpoint-every", type=int, default=None, help="steps between checkpoints")
    add("--resume", action="store_true", help="continue from --checkpoint FILE")
    add("--overwrite", action="store_true",
        help="start again over an existing --checkpoint FILE (without it, one is refused)")
    add("--json", metavar="FILE|-", default=None,
        help="write config and trajectory as JSON ('-' for stdout)")
    add("--plot", metavar="FILE", default=None, help=f"write a PNG of {plot}")


def cmd_anneal(args):
    from ..core.files import write_json
    from ..experiments import annealing, expfam, ising, network
    from ..present import expfam as expfam_present
    from ..present import ising_anneal as ising_present
    from ..present import plotting
    from ..present.progress import Progress

    experiment, present = ((expfam, expfam_present) if args.experiment == "expfam"
                           else (ising, ising_present))
    outputs = {"--json": None if args.json == "-" else args.json, "--plot": args.plot,
               "--checkpoint": args.checkpoint}
    for option, path in outputs.items():
        if path is not None:
            check_output_path(option, path)
    check_distinct_paths(outputs)
    annealing.check_checkpoint_target(args.checkpoint, resume=args.resume,
                                      overwrite=args.overwrite)
    if args.plot:
        plotting.check_plotting("--plot", args.plot)
    if args.experiment == "expfam":
        config = expfam.config_from_args(args)
    else:
        config = ising.IsingAnneal(
            N=args.N, M=args.M, hidden=network.parse_hidden(args.hidden),
            activation=args.activation, chains=args.chains, steps=args.steps, dt=args.dt,
            c=args.c, lam=args.lam, seed=args.seed, J=args.J, tau=args.tau, target=args.target,
            record_every=args.record_every, bootstrap=args.bootstrap, batch=args.batch,
            backend=args.backend, dtype=args.dtype)
    # Ctrl-C: rgproof.cli.main prints the one line (with the checkpoint) and exits 130
    result = experiment.run(config, checkpoint=args.checkpoint,
                            checkpoint_every=args.checkpoint_every, resume=args.resume,
                            progress=Progress(config.steps, sys.stderr,
                                              fields=experiment.PROGRESS_FIELDS))
    # --json -: the JSON takes stdout, the summary and the other lines go to stderr
    stream = sys.stderr if args.json == "-" else sys.stdout
    print(present.summary(result), file=stream)
    if args.json:
        write_json(experiment.as_json(result), args.json)
        if args.json != "-":
            print(f"wrote {args.json}", file=stream)
    if args.plot:
        present.plot(result, args.plot)
        print(f"wrote {args.plot}", file=stream)
    return 0
