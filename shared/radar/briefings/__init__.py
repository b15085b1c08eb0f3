"""Weekly briefings for social teams: what one subscriber reads, and sending the due ones."""
