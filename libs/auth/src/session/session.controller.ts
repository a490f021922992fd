import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiProblems, CurrentPrincipal, Public, type Principal } from '#libs/core';
import { LoginDto, MeView, RefreshDto, TokenResponse } from './dto/session.dto.js';
import { SessionService } from './session.service.js';
import { MeService } from './me.service.js';

@ApiTags('auth')
@Controller('auth')
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    private readonly me: MeService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary:
      'Staff login: an access token (15 min) and a single-use refresh token. Throttled per address and per account at an address (429 with Retry-After).',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(401, 429)
  login(@Body() dto: LoginDto, @Ip() address: string): Promise<TokenResponse> {
    return this.sessions.login(dto.username, dto.password, address);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the old one stops working)' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(401)
  refresh(@Body() dto: RefreshDto): Promise<TokenResponse> {
    return this.sessions.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Public()
  @ApiOperation({ summary: 'End the session of this refresh token' })
  @ApiNoContentResponse({ description: 'The session is over (also when it already was)' })
  logout(@Body() dto: RefreshDto): Promise<void> {
    return this.sessions.logout(dto.refreshToken);
  }

  @Get('me')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Who am I: the staff account, or the organization and key of a business' })
  @ApiOkResponse({ type: MeView })
  whoAmI(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.me.describe(principal);
  }
}
