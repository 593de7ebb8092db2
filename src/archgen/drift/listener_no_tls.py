"""## What it checks
A load balancer listener that takes plain HTTP (or TCP) and does not redirect to HTTPS,
on a component whose incoming flows the model says are encrypted (an `https` flow, or a
protocol that is TLS).

## Why it matters
The model promises encryption in transit on this hop; the listener accepts the traffic
in clear text, where anyone on the path can read or change it.

## Failing example
```hcl
resource "aws_lb_listener" "http" {
  port     = 80
  protocol = "HTTP"
  default_action { type = "forward" }
}
```

## What to do instead
Listen with HTTPS (a certificate and a TLS 1.2+ policy), and make a port-80 listener
redirect to HTTPS. If the hop is plain on purpose, say `tls: false` on the flow.

## False positives
A plain listener that only answers health checks from inside the VPC: accept the finding.

## References
- Application Load Balancer, HTTPS listeners: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html
- Checkov CKV_AWS_2, CKV2_AWS_20: https://www.checkov.io/5.Policy%20Index/terraform.html
"""

from __future__ import annotations

from archgen.drift.properties import property_check
from archgen.graph.facts import flow_tls
from archgen.rules import declare


check = property_check(
    "listener_tls", lambda ctx, comp: any(flow_tls(ctx.model, f) for f in ctx.graph.flows_into(comp.id)),
    "{address} takes traffic without TLS ({said}); the model's flows into {component!r} are encrypted",
)

RULE = declare(__name__, check)
