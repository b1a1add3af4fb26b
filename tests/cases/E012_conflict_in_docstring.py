# expect: E012
"""Both branches rewrote the procedure; git's markers sit inside the docstring, where Python would
parse them as prose and the half-merged skill would otherwise compile."""


class Deploy:
    """Deploy the service.

<<<<<<< ours
    1. Build the image with the release tag.
=======
    1. Build the image with the commit hash.
>>>>>>> theirs
    2. Push it.
    """

    name = "deploy"
    version = "1.0.0"

    def run(self, params=None):
        return params
