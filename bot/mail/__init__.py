"""E-mail: what IOP-lotsen sends when an initiative comes in, and the sender that delivers it."""
