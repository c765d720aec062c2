#!/usr/bin/env python3
"""Checks Kubernetes Indexed Job manifests for flightreplay shards without a cluster (kubectl
needs an API server): YAML syntax, the fields an Indexed Job needs, and that the shard command
covers every frame once on the 5 s keyframe grid.

  check_k8s_manifest.py FILE...   (.yaml files, or .md files whose ```yaml blocks are checked)

Exit 0 all good, 1 a problem (named with file and what is wrong), 77 python3-yaml missing.
"""
import re
import sys

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is not installed", file=sys.stderr)
    sys.exit(77)


def documents(path):
    text = open(path, encoding="utf-8").read()
    if path.endswith(".md"):
        for m in re.finditer(r"^```yaml\n(.*?)^```", text, re.S | re.M):
            line = text.count("\n", 0, m.start()) + 2
            yield f"{path}:{line}", m.group(1)
    else:
        yield path, text


def check_job(where, job):
    errors = []

    def need(cond, msg):
        if not cond:
            errors.append(f"{where}: {msg}")
        return cond

    if not need(isinstance(job, dict), "not a mapping"):
        return errors
    need(job.get("apiVersion") == "batch/v1", f"apiVersion is {job.get('apiVersion')!r}, expected 'batch/v1'")
    need(job.get("kind") == "Job", f"kind is {job.get('kind')!r}, expected 'Job'")
    need(isinstance(job.get("metadata"), dict) and job["metadata"].get("name"), "metadata.name missing")
    spec = job.get("spec")
    if not need(isinstance(spec, dict), "spec missing"):
        return errors
    need(spec.get("completionMode") == "Indexed", "spec.completionMode must be Indexed (pods get JOB_COMPLETION_INDEX)")
    completions = spec.get("completions")
    need(isinstance(completions, int) and completions > 0, f"spec.completions {completions!r} is not a positive integer")
    pod = (spec.get("template") or {}).get("spec")
    if not need(isinstance(pod, dict), "spec.template.spec missing"):
        return errors
    need(pod.get("restartPolicy") in ("Never", "OnFailure"), f"restartPolicy {pod.get('restartPolicy')!r}: a Job needs Never or OnFailure")
    containers = pod.get("containers")
    if not need(isinstance(containers, list) and containers, "no containers"):
        return errors
    script = "\n".join(str(a) for c in containers for a in (c.get("command") or []) + (c.get("args") or []))
    need("JOB_COMPLETION_INDEX" in script, "the command does not use JOB_COMPLETION_INDEX")
    need("--threads 1" in script, "shards must render with --threads 1 (byte-identical joins)")
    need("--frames" in script, "the command does not pass --frames")
    mounts = {m.get("name") for c in containers for m in (c.get("volumeMounts") or [])}
    volumes = {v.get("name") for v in (pod.get("volumes") or [])}
    need(mounts <= volumes, f"volumeMounts {sorted(mounts - volumes)} have no volume")
    # The shard arithmetic: K must equal completions; frames A..B-1 of all shards cover 0..N-1
    # once, every boundary on the grid G.
    m = re.search(r"K=(\d+) N=(\d+) G=(\d+) M=(\d+)", script)
    if need(m, "no 'K=.. N=.. G=.. M=..' line to check the shard arithmetic against"):
        k, n, g, mm = map(int, m.groups())
        need(k == completions, f"K={k} but completions={completions}")
        need(mm == -(-n // g), f"M={mm} but N/G rounded up is {-(-n // g)}")
        fps = re.search(r"--fps (\d+)", script)
        if need(fps, "no --fps"):
            need(g == 5 * int(fps.group(1)), f"G={g} is not 5 s at {fps.group(1)} fps")
        bounds = [(i * mm // k * g, min(n, (i + 1) * mm // k * g)) for i in range(k)]
        need(bounds[0][0] == 0 and bounds[-1][1] == n and all(a < b for a, b in bounds)
             and all(bounds[i][1] == bounds[i + 1][0] for i in range(k - 1)),
             f"shards {bounds} do not cover frames 0..{n - 1} once")
    return errors


def main(paths):
    errors, jobs = [], 0
    for path in paths:
        for where, text in documents(path):
            try:
                docs = [d for d in yaml.safe_load_all(text) if d is not None]
            except yaml.YAMLError as e:
                errors.append(f"{where}: YAML syntax: {e}".replace("\n", " "))
                continue
            for d in docs:
                jobs += 1
                errors += check_job(where, d)
    if jobs == 0:
        errors.append(f"no manifest found in {' '.join(paths)}")
    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print(f"k8s manifests: {jobs} Indexed Job(s) checked")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
