"""Sign-in for staff (password) and residents (SMS code); token refresh and logout."""
