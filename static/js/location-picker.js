/* The map picker of the incident form (filled in below). */
